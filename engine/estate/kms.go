package estate

import (
	"encoding/hex"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"iamlab/engine"
)

// KMS grants and SSE-KMS (issue 11, piece 5). Grants are KMS's own
// authorization beside the key policy: the estate keeps them on the key
// and hands them to the engine, which decides with them in AWS's order.
// https://docs.aws.amazon.com/kms/latest/developerguide/grants.html

// KeyGrant is a grant on a KMS key, as CreateGrant makes it.
// https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateGrant.html
type KeyGrant struct {
	GrantID           string            `json:"grantId,omitempty" yaml:"grantId,omitempty"`
	Name              string            `json:"name,omitempty" yaml:"name,omitempty"`
	GranteePrincipal  string            `json:"granteePrincipal" yaml:"granteePrincipal"`
	RetiringPrincipal string            `json:"retiringPrincipal,omitempty" yaml:"retiringPrincipal,omitempty"`
	Operations        []string          `json:"operations" yaml:"operations"`
	Constraints       *GrantConstraints `json:"constraints,omitempty" yaml:"constraints,omitempty"`
	// IssuingAccount is the account whose principal created the grant.
	IssuingAccount string `json:"issuingAccount,omitempty" yaml:"issuingAccount,omitempty"`
}

// GrantConstraints are a grant's encryption context constraints.
type GrantConstraints struct {
	EncryptionContextEquals map[string]string `json:"encryptionContextEquals,omitempty" yaml:"encryptionContextEquals,omitempty"`
	EncryptionContextSubset map[string]string `json:"encryptionContextSubset,omitempty" yaml:"encryptionContextSubset,omitempty"`
}

// grantOperations are the operations a grant may list.
// https://docs.aws.amazon.com/kms/latest/developerguide/grants.html#terms-grant-operations
var grantOperations = []string{"Decrypt", "Encrypt", "GenerateDataKey", "GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext",
	"GenerateDataKeyWithoutPlaintext", "ReEncryptFrom", "ReEncryptTo", "Sign", "Verify", "GetPublicKey", "CreateGrant", "RetireGrant",
	"DescribeKey", "GenerateMac", "VerifyMac", "DeriveSharedSecret"}

// contextOperations are the grant operations that take an encryption
// context; a grant with constraints may list only these.
var contextOperations = []string{"Decrypt", "Encrypt", "GenerateDataKey", "GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext",
	"GenerateDataKeyWithoutPlaintext", "ReEncryptFrom", "ReEncryptTo", "CreateGrant", "RetireGrant"}

func engineGrants(gs []*KeyGrant) []engine.Grant {
	if len(gs) == 0 {
		return nil
	}
	out := make([]engine.Grant, 0, len(gs))
	for _, g := range gs {
		eg := engine.Grant{ID: g.GrantID, Name: g.Name, GranteePrincipal: g.GranteePrincipal, Operations: g.Operations}
		if c := g.Constraints; c != nil {
			eg.Constraints = &engine.GrantConstraints{EncryptionContextEquals: c.EncryptionContextEquals, EncryptionContextSubset: c.EncryptionContextSubset}
		}
		out = append(out, eg)
	}
	return out
}

func kmsNotFound(arn string) *Error {
	return newError(CodeNotFoundException, http.StatusBadRequest, "Key '"+arn+"' does not exist")
}

func kmsValidation(msg string) *Error {
	return newError("ValidationException", http.StatusBadRequest, msg)
}

// keyByARN finds a key from its ARN.
func (e *Estate) keyByARN(arn string) *Key {
	parts, ok := splitARN(arn)
	if !ok || parts[2] != "kms" {
		return nil
	}
	id, ok := strings.CutPrefix(parts[5], "key/")
	a := e.account(parts[4])
	if !ok || a == nil {
		return nil
	}
	return a.Keys[id]
}

// CreateGrantInput is CreateGrant's request.
type CreateGrantInput struct {
	KeyARN            string
	GranteePrincipal  string
	RetiringPrincipal string
	Operations        []string
	Name              string
	Constraints       *GrantConstraints
}

// CreateGrant adds a grant to a key (kms:CreateGrant). The request carries
// kms:GrantOperations, kms:GranteePrincipal, kms:RetiringPrincipal and
// kms:GrantConstraintType, so a key policy can limit what grants are made.
// https://docs.aws.amazon.com/kms/latest/developerguide/grant-authorization.html
func (e *Estate) CreateGrant(c Call, in CreateGrantInput) (*KeyGrant, *Decision, error) {
	k := e.keyByARN(in.KeyARN)
	if k == nil {
		return nil, nil, kmsNotFound(in.KeyARN)
	}
	if len(in.Operations) == 0 {
		return nil, nil, kmsValidation("1 validation error detected: Value null at 'operations' failed to satisfy constraint: Member must not be null")
	}
	if err := grantShape(in.Operations, in.Constraints); err != nil {
		return nil, nil, err
	}
	for _, op := range in.Operations {
		if !slices.Contains(grantOperations, op) {
			return nil, nil, kmsValidation("1 validation error detected: Value '[" + op + "]' at 'operations' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [" + strings.Join(grantOperations, ", ") + "]]")
		}
		if in.Constraints != nil && !slices.Contains(contextOperations, op) {
			return nil, nil, kmsValidation("Grant constraints are not supported for the " + op + " operation")
		}
	}
	call := c
	call.Context = cloneContext(c.Context)
	call.Context.Set("kms:GrantOperations", in.Operations...)
	call.Context.Set("kms:GranteePrincipal", in.GranteePrincipal)
	if in.RetiringPrincipal != "" {
		call.Context.Set("kms:RetiringPrincipal", in.RetiringPrincipal)
	}
	if in.Constraints != nil {
		var types []string
		if in.Constraints.EncryptionContextEquals != nil {
			types = append(types, "EncryptionContextEquals")
		}
		if in.Constraints.EncryptionContextSubset != nil {
			types = append(types, "EncryptionContextSubset")
		}
		call.Context.Set("kms:GrantConstraintType", types...)
	}
	d := e.Authorize(call, "kms:CreateGrant", in.KeyARN)
	if !d.Allowed() {
		return nil, d, d.Err
	}
	g := &KeyGrant{GrantID: hex.EncodeToString(e.random("grant", 32)), Name: in.Name, GranteePrincipal: in.GranteePrincipal,
		RetiringPrincipal: in.RetiringPrincipal, Operations: slices.Clone(in.Operations), Constraints: in.Constraints, IssuingAccount: d.Identity.Account}
	// A new slice: clones of the estate may share the old one.
	k.Grants = append(slices.Clip(k.Grants), g)
	return g, d, nil
}

// ListGrants lists a key's grants (kms:ListGrants).
func (e *Estate) ListGrants(c Call, keyARN string) ([]*KeyGrant, *Decision, error) {
	k := e.keyByARN(keyARN)
	if k == nil {
		return nil, nil, kmsNotFound(keyARN)
	}
	d := e.Authorize(c, "kms:ListGrants", keyARN)
	if !d.Allowed() {
		return nil, d, d.Err
	}
	return k.Grants, d, nil
}

// RevokeGrant deletes a grant (kms:RevokeGrant, from a key policy or IAM
// policy; grants cannot allow it).
// https://docs.aws.amazon.com/kms/latest/developerguide/grant-delete.html
func (e *Estate) RevokeGrant(c Call, keyARN, grantID string) (*Decision, error) {
	k := e.keyByARN(keyARN)
	if k == nil {
		return nil, kmsNotFound(keyARN)
	}
	d := e.Authorize(c, "kms:RevokeGrant", keyARN)
	if !d.Allowed() {
		return d, d.Err
	}
	return d, k.dropGrant(grantID)
}

// RetireGrant deletes a grant as its retiring principal, or as its
// grantee when the grant lists RetireGrant. No policy governs it.
// https://docs.aws.amazon.com/kms/latest/developerguide/grant-delete.html#grant-retire
func (e *Estate) RetireGrant(c Call, keyARN, grantID string) (*Decision, error) {
	k := e.keyByARN(keyARN)
	if k == nil {
		return nil, kmsNotFound(keyARN)
	}
	var g *KeyGrant
	for _, x := range k.Grants {
		if x.GrantID == grantID {
			g = x
		}
	}
	if g == nil {
		return nil, invalidGrantID()
	}
	// The grant itself is the authorization: check it as the engine would,
	// with a request that carries only this grant and no policy.
	id, err := e.Resolve(c.Caller, c.Time)
	if err != nil {
		return nil, err
	}
	grants := engineGrants([]*KeyGrant{g})
	req := engine.Request{Principal: &engine.Principal{ARN: id.ARN}, Action: "kms:RetireGrant", Time: c.Time,
		Resource: engine.Resource{ARN: keyARN}, KMS: &engine.KMSRequest{Grants: grants}}
	if g.RetiringPrincipal != "" {
		req.KMS.Grants = append(req.KMS.Grants, engine.Grant{ID: g.GrantID, Name: "retiring principal", GranteePrincipal: g.RetiringPrincipal, Operations: []string{"RetireGrant"}})
	}
	d := &Decision{Identity: id, Action: "kms:RetireGrant", Resource: keyARN, Request: req, Result: engine.Evaluate(req)}
	if d.Result.Decision != engine.Allow {
		d.Err = e.denial(d)
		return d, d.Err
	}
	return d, k.dropGrant(grantID)
}

func invalidGrantID() *Error {
	return newError("InvalidGrantIdException", http.StatusBadRequest, "Grant ID is invalid")
}

func (k *Key) dropGrant(id string) error {
	i := slices.IndexFunc(k.Grants, func(g *KeyGrant) bool { return g.GrantID == id })
	if i < 0 {
		return invalidGrantID()
	}
	k.Grants = slices.Concat(k.Grants[:i], k.Grants[i+1:])
	return nil
}

// UseKey runs a cryptographic operation (kms:Decrypt, kms:Encrypt, ...)
// on a key with an encryption context.
func (e *Estate) UseKey(c Call, action, keyARN string, ec map[string]string) (*Decision, error) {
	if e.keyByARN(keyARN) == nil {
		return nil, kmsNotFound(keyARN)
	}
	call := c
	call.EncryptionContext = ec
	d := e.Authorize(call, action, keyARN)
	return d, errOrNil(d.Err)
}

func errOrNil(e *Error) error {
	if e == nil {
		return nil
	}
	return e
}

// BucketEncryption is a bucket's default encryption. With SSE-KMS, S3
// calls KMS on the requester's behalf, so reading an object needs
// kms:Decrypt on the key as well as s3:GetObject.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html
type BucketEncryption struct {
	// SSEAlgorithm is "AES256" or "aws:kms".
	SSEAlgorithm   string `json:"sseAlgorithm" yaml:"sseAlgorithm"`
	KMSMasterKeyID string `json:"kmsMasterKeyId,omitempty" yaml:"kmsMasterKeyId,omitempty"`
}

func (b *Bucket) kmsKeyID() string {
	if b.Encryption != nil {
		return b.Encryption.KMSMasterKeyID
	}
	return ""
}

// s3KMS authorizes the KMS call S3 makes for an SSE-KMS object: as the
// requester, with kms:ViaService naming S3 in the bucket's region and the
// object's ARN as the encryption context (aws:s3:arn).
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#encryption-context
func (e *Estate) s3KMS(c Call, b *Bucket, action, bucket, key string) *Decision {
	enc := b.Encryption
	// A PutObject that asks for SSE-KMS itself overrides the default.
	if alg, _ := c.Context.Get("s3:x-amz-server-side-encryption"); len(alg) == 1 {
		enc = &BucketEncryption{SSEAlgorithm: alg[0]}
		if alg[0] == "aws:kms" {
			enc.KMSMasterKeyID = b.kmsKeyID()
			if id, _ := c.Context.Get("s3:x-amz-server-side-encryption-aws-kms-key-id"); len(id) == 1 {
				enc.KMSMasterKeyID = id[0]
			}
		}
	}
	if enc == nil || enc.SSEAlgorithm != "aws:kms" || enc.KMSMasterKeyID == "" {
		return nil
	}
	call := c
	call.Context = cloneContext(c.Context)
	call.Context.Set("kms:ViaService", "s3."+b.Region+".amazonaws.com")
	// S3 calls KMS with the requester's credentials: a forward access
	// session, which AWS's page gives as its example. aws:CalledVia lists
	// only some services, and S3 is not one of them.
	// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_forward_access_sessions.html
	call.Forwarded = true
	call.EncryptionContext = map[string]string{"aws:s3:arn": ObjectARN(bucket, key)}
	return e.Authorize(call, action, enc.KMSMasterKeyID)
}

// kmsRequest adds what a KMS request carries: the key's grants, the
// encryption context and kms:CallerAccount.
func (e *Estate) kmsRequest(req *engine.Request, c *Call, id *Identity) {
	var grants []engine.Grant
	if k := e.keyByARN(req.Resource.ARN); k != nil {
		grants = engineGrants(k.Grants)
	}
	if grants != nil || c.EncryptionContext != nil {
		req.KMS = &engine.KMSRequest{Grants: grants, EncryptionContext: c.EncryptionContext}
	}
	kmsContext(req.Context, id, req.Action)
}

// kmsContext adds kms:CallerAccount, which KMS puts in every request.
// https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-caller-account
func kmsContext(ctx engine.Context, id *Identity, action string) {
	if len(action) > 4 && strings.EqualFold(action[:4], "kms:") && id.Account != "" {
		if _, given := ctx.Get("kms:CallerAccount"); !given {
			ctx.Set("kms:CallerAccount", id.Account)
		}
	}
}

// sseKMSDenied is S3's answer when the KMS call behind an SSE-KMS object
// is denied: S3's AccessDenied carrying KMS's message.
func sseKMSDenied(d *Decision) *Error {
	err := newError(CodeAccessDenied, http.StatusForbidden, d.Err.Message)
	err.Detail = "S3 called KMS on the caller's behalf (kms:ViaService s3), and KMS denied it: " + d.Err.Detail
	err.Decision = d
	return err
}

// grantShape applies KMS's checks on a grant's shape, with KMS's texts.
func grantShape(ops []string, c *GrantConstraints) *Error {
	if len(ops) == 1 && ops[0] == "CreateGrant" {
		return kmsValidation("Grants must not contain only the CreateGrant operation.")
	}
	if c != nil && c.EncryptionContextEquals != nil && c.EncryptionContextSubset != nil {
		return kmsValidation("More than one constraint supplied")
	}
	return nil
}

// bucketEncryption checks a bucket's default encryption.
func (v *validator) bucketEncryption(path string, enc *BucketEncryption) {
	if enc == nil {
		return
	}
	switch enc.SSEAlgorithm {
	case "AES256":
	case "aws:kms":
		if p, ok := splitARN(enc.KMSMasterKeyID); !ok || p[2] != "kms" || !strings.HasPrefix(p[5], "key/") {
			v.fail(path+".kmsMasterKeyId", kmsValidation("SSE-KMS needs the key's ARN, arn:aws:kms:REGION:ACCOUNT:key/ID, not "+strconv.Quote(enc.KMSMasterKeyID)))
		}
	default:
		v.fail(path+".sseAlgorithm", newError("MalformedXML", http.StatusBadRequest, "sseAlgorithm must be AES256 or aws:kms, not "+strconv.Quote(enc.SSEAlgorithm)))
	}
}

// keyGrants checks a key's grants as CreateGrant would, and gives each
// grant without an ID a fixed one.
func (v *validator) keyGrants(path string, gs []*KeyGrant) {
	for i, g := range gs {
		gp := path + "[" + strconv.Itoa(i) + "]"
		if g == nil {
			v.fail(gp, kmsValidation("a grant needs granteePrincipal and operations"))
			continue
		}
		if g.GranteePrincipal == "" {
			v.fail(gp+".granteePrincipal", kmsValidation("1 validation error detected: Value null at 'granteePrincipal' failed to satisfy constraint: Member must not be null"))
		}
		if len(g.Operations) == 0 {
			v.fail(gp+".operations", kmsValidation("1 validation error detected: Value null at 'operations' failed to satisfy constraint: Member must not be null"))
		}
		for _, op := range g.Operations {
			if !slices.Contains(grantOperations, op) {
				v.fail(gp+".operations", kmsValidation(strconv.Quote(op)+" is not a grant operation; grant operations are "+strings.Join(grantOperations, ", ")))
			} else if g.Constraints != nil && !slices.Contains(contextOperations, op) {
				v.fail(gp+".operations", kmsValidation("Grant constraints are not supported for the "+op+" operation"))
			}
		}
		if err := grantShape(g.Operations, g.Constraints); err != nil {
			v.fail(gp, err)
		}
		if g.GrantID == "" {
			g.GrantID = "grant-" + strconv.Itoa(i+1)
		}
	}
}
