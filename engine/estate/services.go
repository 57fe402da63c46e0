package estate

import (
	"encoding/hex"
	"errors"
	"net/http"
	"strings"
)

// Operations of other services that go through the estate's
// authorization, with the error shapes those services use.

func missingAuth() *Error {
	return newError(CodeMissingAuthenticationToken, http.StatusForbidden, "Request is missing Authentication Token")
}

// reword turns a denial into the error an operation's service returns:
// EC2 answers UnauthorizedOperation with an encoded message even when the
// missing permission is iam:PassRole.
func (e *Estate) reword(d *Decision, service string) error {
	if d.Err == nil {
		return nil
	}
	if d.Err.Decision == nil || service != "ec2" || d.Err.Code == CodeUnauthorizedOperation {
		return d.Err
	}
	err := newError(CodeUnauthorizedOperation, http.StatusForbidden, "You are not authorized to perform this operation. "+
		strings.TrimSuffix(d.Err.Message, ".")+". Encoded authorization failure message: "+e.encodeAuthorizationMessage(d))
	err.Detail, err.Decision = d.Err.Detail, d
	return err
}

// RunInstancesInput is what RunInstances needs of its parameters.
type RunInstancesInput struct {
	ImageID      string `json:"ImageId"`
	InstanceType string `json:"InstanceType"`
	// IamInstanceProfile is the profile's name or ARN.
	IamInstanceProfile string `json:"IamInstanceProfile,omitempty"`
	DryRun             bool   `json:"DryRun,omitempty"`
}

// RunInstancesOutput is the new instance and every authorization it took.
type RunInstancesOutput struct {
	InstanceID string      `json:"InstanceId"`
	Checks     []*Decision `json:"-"`
}

// RunInstances launches an instance. AWS authorizes it as several
// actions: ec2:RunInstances, and iam:PassRole on the instance profile's
// role with iam:PassedToService ec2.amazonaws.com, since launching with a
// profile hands the role to EC2.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_switch-role-ec2.html
func (e *Estate) RunInstances(c Call, in RunInstancesInput) (*RunInstancesOutput, error) {
	id, err := e.Resolve(c.Caller, c.Time)
	if err != nil {
		return nil, err
	}
	if id.Kind == KindAnonymous {
		return nil, missingAuth()
	}
	region := c.Region
	if region == "" {
		region = e.region()
	}
	if in.InstanceType == "" {
		in.InstanceType = "m1.small"
	}
	out := &RunInstancesOutput{}
	call := c
	call.Context = cloneContext(c.Context)
	call.Context.Set("ec2:InstanceType", in.InstanceType)
	if in.ImageID != "" {
		call.Context.Set("ec2:ImageID", in.ImageID)
	}
	d := e.AuthorizeAs(id, call, "ec2:RunInstances", "arn:aws:ec2:"+region+":"+id.Account+":instance/*")
	out.Checks = append(out.Checks, d)
	if !d.Allowed() {
		return out, e.reword(d, "ec2")
	}
	var profile string
	if in.IamInstanceProfile != "" {
		a := e.account(id.Account)
		profile = in.IamInstanceProfile
		if parts, ok := splitARN(profile); ok {
			_, _, profile = iamResource(parts[5])
		}
		p := a.InstanceProfiles[profile]
		if p == nil {
			return out, newError(CodeInvalidParameterValue, http.StatusBadRequest,
				"Value ("+in.IamInstanceProfile+") for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name")
		}
		if p.Role != "" {
			if d := e.passRole(id, c, p, region); d != nil {
				out.Checks = append(out.Checks, d)
				if !d.Allowed() {
					return out, e.reword(d, "ec2")
				}
			}
		}
	}
	if in.DryRun {
		return out, newError(CodeDryRunOperation, http.StatusPreconditionFailed, "Request would have succeeded, but DryRun flag is set.")
	}
	iid := "i-" + hex.EncodeToString(e.random("instance", 9))[:17]
	a := e.account(id.Account)
	if a.Instances == nil {
		a.Instances = map[string]*Instance{}
	}
	a.Instances[iid] = &Instance{Region: region, InstanceType: in.InstanceType, InstanceProfile: profile, ProfileAssociated: c.Time}
	out.InstanceID = iid
	return out, nil
}

func (e *Estate) passRole(id *Identity, c Call, p *InstanceProfile, region string) *Decision {
	a := e.account(id.Account)
	r := a.Roles[p.Role]
	if r == nil {
		return nil
	}
	call := c
	call.Context = cloneContext(c.Context)
	call.Context.Set("iam:PassedToService", "ec2.amazonaws.com")
	call.Context.Set("iam:AssociatedResourceArn", "arn:aws:ec2:"+region+":"+id.Account+":instance/*")
	return e.AuthorizeAs(id, call, "iam:PassRole", RoleARN(id.Account, r.Path, p.Role))
}

func cloneContext(c map[string][]string) map[string][]string {
	out := make(map[string][]string, len(c)+2)
	for k, v := range c {
		out[k] = v
	}
	return out
}

// AssociateIamInstanceProfile attaches a profile to a running instance:
// ec2:AssociateIamInstanceProfile and iam:PassRole.
func (e *Estate) AssociateIamInstanceProfile(c Call, instanceID, profile string) ([]*Decision, error) {
	id, err := e.Resolve(c.Caller, c.Time)
	if err != nil {
		return nil, err
	}
	if id.Kind == KindAnonymous {
		return nil, missingAuth()
	}
	acct, inst := e.instance(instanceID)
	if inst == nil || acct != id.Account {
		return nil, newError(CodeInvalidInstanceIDNotFound, http.StatusBadRequest, "The instance ID '"+instanceID+"' does not exist")
	}
	d := e.AuthorizeAs(id, c, "ec2:AssociateIamInstanceProfile", InstanceARN(inst.Region, acct, instanceID))
	checks := []*Decision{d}
	if !d.Allowed() {
		return checks, e.reword(d, "ec2")
	}
	if inst.InstanceProfile != "" {
		return checks, newError("IncorrectState", http.StatusBadRequest, "There is an existing association for instance "+instanceID)
	}
	p := e.account(acct).InstanceProfiles[profile]
	if p == nil {
		return checks, newError(CodeInvalidParameterValue, http.StatusBadRequest,
			"Value ("+profile+") for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name")
	}
	if p.Role != "" {
		if d := e.passRole(id, c, p, inst.Region); d != nil {
			checks = append(checks, d)
			if !d.Allowed() {
				return checks, e.reword(d, "ec2")
			}
		}
	}
	inst.InstanceProfile, inst.ProfileAssociated = profile, c.Time
	return checks, nil
}

// DisassociateIamInstanceProfile removes an instance's profile: its calls
// then carry no credentials at all.
func (e *Estate) DisassociateIamInstanceProfile(c Call, instanceID string) ([]*Decision, error) {
	id, err := e.Resolve(c.Caller, c.Time)
	if err != nil {
		return nil, err
	}
	if id.Kind == KindAnonymous {
		return nil, missingAuth()
	}
	acct, inst := e.instance(instanceID)
	if inst == nil || acct != id.Account {
		return nil, newError(CodeInvalidInstanceIDNotFound, http.StatusBadRequest, "The instance ID '"+instanceID+"' does not exist")
	}
	d := e.AuthorizeAs(id, c, "ec2:DisassociateIamInstanceProfile", InstanceARN(inst.Region, acct, instanceID))
	if !d.Allowed() {
		return []*Decision{d}, e.reword(d, "ec2")
	}
	inst.InstanceProfile, inst.ProfileAssociated = "", c.Time
	return []*Decision{d}, nil
}

// S3.

func noSuchBucket() *Error {
	return newError(CodeNoSuchBucket, http.StatusNotFound, "The specified bucket does not exist")
}

// CreateBucket adds a bucket to an account; bucket names are global.
func (e *Estate) CreateBucket(account, name, region string) (*Bucket, error) {
	a, err := e.mustAccount(account)
	if err != nil {
		return nil, err
	}
	if !patBucket.MatchString(name) || strings.Contains(name, "..") {
		return nil, newError("InvalidBucketName", http.StatusBadRequest, "The specified bucket is not valid.")
	}
	if owner, b := e.bucket(name); b != nil {
		if owner == account {
			return nil, newError("BucketAlreadyOwnedByYou", http.StatusConflict, "Your previous request to create the named bucket succeeded and you already own it.")
		}
		return nil, newError("BucketAlreadyExists", http.StatusConflict, "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.")
	}
	if region == "" {
		region = e.region()
	}
	b := &Bucket{Region: region}
	if a.Buckets == nil {
		a.Buckets = map[string]*Bucket{}
	}
	a.Buckets[name] = b
	return b, nil
}

// DeleteBucketPolicy removes a bucket's policy.
func (e *Estate) DeleteBucketPolicy(bucket string) error {
	_, b := e.bucket(bucket)
	if b == nil {
		return noSuchBucket()
	}
	b.Policy = nil
	return nil
}

// s3Call resolves an S3 call's Bucket parameter (a bucket name or an
// access point ARN) to its bucket, and gives the call the bucket's Region
// when it names none.
func (e *Estate) s3Call(c Call, param string) (s3Target, *Bucket, Call, error) {
	t, terr := e.resolveS3Target(param)
	if terr != nil {
		return s3Target{}, nil, c, terr
	}
	_, b := e.bucket(t.Bucket)
	if b == nil {
		return s3Target{}, nil, c, noSuchBucket()
	}
	if c.Region == "" {
		c.Region = b.Region
	}
	return t, b, c, nil
}

// GetObjectOutput is an object's content and the authorizations it took.
type GetObjectOutput struct {
	Body   string      `json:"Body"`
	Checks []*Decision `json:"-"`
}

// GetObject reads an object (s3:GetObject). For a key that does not
// exist, S3 answers NoSuchKey only to a caller allowed s3:ListBucket on
// the bucket, and Access Denied to others, so that keys do not leak.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html
func (e *Estate) GetObject(c Call, bucket, key string) (*GetObjectOutput, error) {
	t, b, call, err := e.s3Call(c, bucket)
	if err != nil {
		return nil, err
	}
	bucket = t.Bucket
	d := e.Authorize(call, "s3:GetObject", t.objectARN(key))
	out := &GetObjectOutput{Checks: []*Decision{d}}
	if !d.Allowed() {
		return out, d.Err
	}
	body, ok := b.Objects[key]
	if !ok {
		l := e.Authorize(call, "s3:ListBucket", t.bucketARN())
		out.Checks = append(out.Checks, l)
		if !l.Allowed() {
			err := newError(CodeAccessDenied, http.StatusForbidden, "Access Denied")
			err.Detail = "the key does not exist, and without s3:ListBucket on the bucket S3 does not say so"
			return out, err
		}
		return out, newError(CodeNoSuchKey, http.StatusNotFound, "The specified key does not exist.")
	}
	if k := e.s3KMS(call, b, "kms:Decrypt", bucket, key); k != nil {
		out.Checks = append(out.Checks, k)
		if !k.Allowed() {
			return out, sseKMSDenied(k)
		}
	}
	out.Body = body
	return out, nil
}

// PutObject writes an object (s3:PutObject).
func (e *Estate) PutObject(c Call, bucket, key, body string) ([]*Decision, error) {
	t, b, call, err := e.s3Call(c, bucket)
	if err != nil {
		return nil, err
	}
	bucket = t.Bucket
	d := e.Authorize(call, "s3:PutObject", t.objectARN(key))
	if !d.Allowed() {
		return []*Decision{d}, d.Err
	}
	checks := []*Decision{d}
	// SSE-KMS: S3 asks KMS for a data key as the caller.
	if k := e.s3KMS(call, b, "kms:GenerateDataKey", bucket, key); k != nil {
		checks = append(checks, k)
		if !k.Allowed() {
			return checks, sseKMSDenied(k)
		}
	}
	if err := e.putObjectACL(call, d, bucket, key); err != nil {
		return checks, err
	}
	if b.Objects == nil {
		b.Objects = map[string]string{}
	}
	b.Objects[key] = body
	return checks, nil
}

// ListObjects lists the keys under a prefix (s3:ListBucket on the bucket,
// with s3:prefix in the request context).
func (e *Estate) ListObjects(c Call, bucket, prefix string) ([]string, []*Decision, error) {
	t, b, call, err := e.s3Call(c, bucket)
	if err != nil {
		return nil, nil, err
	}
	call.Context = cloneContext(c.Context)
	call.Context.Set("s3:prefix", prefix)
	d := e.Authorize(call, "s3:ListBucket", t.bucketARN())
	if !d.Allowed() {
		return nil, []*Decision{d}, d.Err
	}
	var keys []string
	for _, k := range sortedKeys(b.Objects) {
		if strings.HasPrefix(k, prefix) {
			keys = append(keys, k)
		}
	}
	return keys, []*Decision{d}, nil
}

// KMS.

// CreateKey adds a KMS key with a key policy ("" for AWS's default one).
func (e *Estate) CreateKey(account, keyID, region, policy string) (*Key, error) {
	a, err := e.mustAccount(account)
	if err != nil {
		return nil, err
	}
	if keyID == "" {
		b := e.random("key", 16)
		h := hex.EncodeToString(b)
		keyID = h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
	}
	if region == "" {
		region = e.region()
	}
	k := &Key{Region: region}
	if policy != "" {
		d := &Document{text: policy}
		if err := checkResourcePolicy(d, quotaKeyPolicy); err != nil {
			// KMS names the same failure differently from IAM and S3.
			var ae *Error
			if errors.As(err, &ae) {
				kms := *ae
				kms.Code = "MalformedPolicyDocumentException"
				return nil, &kms
			}
			return nil, err
		}
		k.Policy = d
	}
	if a.Keys == nil {
		a.Keys = map[string]*Key{}
	}
	a.Keys[keyID] = k
	return k, nil
}
