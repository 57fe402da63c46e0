package awscli

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"iamlab/engine/estate"
	"iamlab/engine/sts"
)

// commandSpecs is every command the sandbox knows, each with the function
// that runs it. Adding a command is adding an entry.
var commandSpecs = []Spec{
	{Service: "sts", Operation: "get-caller-identity", Help: "who am I: the caller's UserId, Account and Arn",
		Run: func(e *Env, r *Result, caller estate.Caller, c *Command) {
			out, err := e.STS.GetCallerIdentity(caller)
			r.finish(out, err, "GetCallerIdentity")
		}},
	{Service: "sts", Operation: "assume-role", Required: []string{"role-arn", "role-session-name"},
		Optional: []string{"serial-number", "token-code", "external-id", "policy", "policy-arns", "duration-seconds", "source-identity", "tags", "transitive-tag-keys"},
		Help:     "temporary credentials of a role, in this account or another",
		Run: func(e *Env, r *Result, caller estate.Caller, c *Command) {
			in := sts.AssumeRoleInput{RoleArn: c.Arg("role-arn"), RoleSessionName: c.Arg("role-session-name"),
				ExternalId: c.Arg("external-id"), SerialNumber: c.Arg("serial-number"), TokenCode: c.Arg("token-code"),
				Policy: c.Arg("policy"), PolicyArns: policyArns(c), DurationSeconds: duration(c), SourceIdentity: c.Arg("source-identity"),
				Tags: tags(c), TransitiveTagKeys: list(c, "transitive-tag-keys")}
			out, err := e.STS.AssumeRole(caller, in)
			if err == nil {
				r.keep(out.Credentials)
			}
			r.finish(out, err, "AssumeRole")
		}},
	{Service: "sts", Operation: "assume-role-with-web-identity", Required: []string{"role-arn", "role-session-name", "web-identity-token"},
		Optional: []string{"provider-id", "policy", "policy-arns", "duration-seconds"}, Help: "role credentials for a user signed in with an OIDC identity provider",
		Run: func(e *Env, r *Result, _ estate.Caller, c *Command) {
			in := sts.AssumeRoleWithWebIdentityInput{RoleArn: c.Arg("role-arn"), RoleSessionName: c.Arg("role-session-name"),
				WebIdentityToken: c.Arg("web-identity-token"), ProviderId: c.Arg("provider-id"), Policy: c.Arg("policy"),
				PolicyArns: policyArns(c), DurationSeconds: duration(c)}
			out, err := e.STS.AssumeRoleWithWebIdentity(in)
			if err == nil {
				r.keep(out.Credentials)
			}
			r.finish(out, err, "AssumeRoleWithWebIdentity")
		}},
	{Service: "sts", Operation: "assume-role-with-saml", Required: []string{"role-arn", "principal-arn", "saml-assertion"},
		Optional: []string{"policy", "policy-arns", "duration-seconds"}, Help: "role credentials for a user signed in with a SAML identity provider",
		Run: func(e *Env, r *Result, _ estate.Caller, c *Command) {
			in := sts.AssumeRoleWithSAMLInput{RoleArn: c.Arg("role-arn"), PrincipalArn: c.Arg("principal-arn"),
				SAMLAssertion: c.Arg("saml-assertion"), Policy: c.Arg("policy"), PolicyArns: policyArns(c), DurationSeconds: duration(c)}
			out, err := e.STS.AssumeRoleWithSAML(in)
			if err == nil {
				r.keep(out.Credentials)
			}
			r.finish(out, err, "AssumeRoleWithSAML")
		}},
	{Service: "sts", Operation: "get-session-token", Optional: []string{"serial-number", "token-code", "duration-seconds"},
		Help: "temporary credentials for an IAM user or the root user, with MFA",
		Run: func(e *Env, r *Result, caller estate.Caller, c *Command) {
			in := sts.GetSessionTokenInput{SerialNumber: c.Arg("serial-number"), TokenCode: c.Arg("token-code"), DurationSeconds: duration(c)}
			out, err := e.STS.GetSessionToken(caller, in)
			if err == nil {
				r.keep(out.Credentials)
			}
			r.finish(out, err, "GetSessionToken")
		}},
	{Service: "sts", Operation: "get-federation-token", Required: []string{"name"}, Optional: []string{"policy", "policy-arns", "duration-seconds", "tags"},
		Help: "temporary credentials for a federated user, limited by the policy passed",
		Run: func(e *Env, r *Result, caller estate.Caller, c *Command) {
			in := sts.GetFederationTokenInput{Name: c.Arg("name"), Policy: c.Arg("policy"), PolicyArns: policyArns(c), DurationSeconds: duration(c), Tags: tags(c)}
			out, err := e.STS.GetFederationToken(caller, in)
			if err == nil {
				r.keep(out.Credentials)
			}
			r.finish(out, err, "GetFederationToken")
		}},
	{Service: "sts", Operation: "decode-authorization-message", Required: []string{"encoded-message"},
		Help: "decode the encoded authorization failure message of a denied EC2 call",
		Run: func(e *Env, r *Result, caller estate.Caller, c *Command) {
			out, err := e.STS.DecodeAuthorizationMessage(caller, sts.DecodeAuthorizationMessageInput{EncodedMessage: c.Arg("encoded-message")})
			r.finish(out, err, "DecodeAuthorizationMessage")
		}},

	// https://docs.aws.amazon.com/cli/latest/reference/s3api/get-object.html:
	// the body goes to <outfile>; the CLI prints the object's metadata.
	{Service: "s3api", Operation: "get-object", Required: []string{"bucket", "key"}, Positional: []Positional{{Name: "outfile"}},
		Help: "read an object into a file (s3:GetObject)",
		Run: func(e *Env, r *Result, caller estate.Caller, c *Command) {
			out, err := e.Estate.GetObject(e.call(caller), c.Arg("bucket"), c.Arg("key"))
			if out != nil {
				r.Checks = append(r.Checks, out.Checks...)
			}
			if err != nil {
				r.Fail(err, "GetObject")
				return
			}
			r.Succeed(map[string]any{"AcceptRanges": "bytes", "ContentLength": len(out.Body), "ETag": `"` + etag(out.Body) + `"`,
				"ContentType": "binary/octet-stream", "Metadata": map[string]string{}})
		}},
	{Service: "s3api", Operation: "put-object", Required: []string{"bucket", "key"}, Optional: []string{"body", "acl", "server-side-encryption", "ssekms-key-id"},
		Help: "write an object (s3:PutObject)",
		Run: func(e *Env, r *Result, caller estate.Caller, c *Command) {
			call := e.call(caller)
			s3RequestKeys(&call, c)
			checks, err := e.Estate.PutObject(call, c.Arg("bucket"), c.Arg("key"), c.Arg("body"))
			r.Checks = append(r.Checks, checks...)
			if err != nil {
				r.Fail(err, "PutObject")
				return
			}
			r.Succeed(map[string]any{"ETag": `"` + etag(c.Arg("body")) + `"`})
		}},
	{Service: "s3api", Operation: "list-objects-v2", Required: []string{"bucket"}, Optional: []string{"prefix", "delimiter", "max-keys"}, Help: "list objects (s3:ListBucket)",
		Run: func(e *Env, r *Result, caller estate.Caller, c *Command) {
			call := e.call(caller)
			s3RequestKeys(&call, c)
			keys, checks, err := e.Estate.ListObjects(call, c.Arg("bucket"), c.Arg("prefix"))
			r.Checks = append(r.Checks, checks...)
			if err != nil {
				r.Fail(err, "ListObjectsV2")
				return
			}
			contents := make([]map[string]string, len(keys))
			for i, k := range keys {
				contents[i] = map[string]string{"Key": k}
			}
			r.Succeed(map[string]any{"Name": c.Arg("bucket"), "Prefix": c.Arg("prefix"), "KeyCount": len(keys), "Contents": contents})
		}},
	{Service: "s3api", Operation: "delete-object", Required: []string{"bucket", "key"}, Help: "delete an object (s3:DeleteObject)",
		Run: func(e *Env, r *Result, caller estate.Caller, c *Command) {
			authorizeOnly(e, r, caller, "s3:DeleteObject", estate.ObjectARN(c.Arg("bucket"), c.Arg("key")), "DeleteObject", struct{}{})
		}},

	// S3 Block Public Access (issue 11, piece 4, in part).
	{Service: "s3api", Operation: "put-bucket-policy", Required: []string{"bucket", "policy"},
		Help: "replace a bucket's policy (s3:PutBucketPolicy); BlockPublicPolicy refuses a public one", Run: putBucketPolicy},
	{Service: "s3api", Operation: "put-public-access-block", Required: []string{"bucket", "public-access-block-configuration"},
		Help: "set a bucket's Block Public Access settings (s3:PutBucketPublicAccessBlock)", Run: putPublicAccessBlock(false)},
	{Service: "s3api", Operation: "get-public-access-block", Required: []string{"bucket"},
		Help: "show a bucket's Block Public Access settings (s3:GetBucketPublicAccessBlock)", Run: getPublicAccessBlock},
	{Service: "s3control", Operation: "put-public-access-block", Required: []string{"account-id", "public-access-block-configuration"},
		Help: "set an account's Block Public Access settings, for all its buckets (s3:PutAccountPublicAccessBlock)", Run: putPublicAccessBlock(true)},

	{Service: "ec2", Operation: "run-instances", Optional: []string{"image-id", "instance-type", "iam-instance-profile", "count"}, Flags: []string{"dry-run"},
		Help: "launch an instance (ec2:RunInstances, and iam:PassRole for its role)",
		Run: func(e *Env, r *Result, caller estate.Caller, c *Command) {
			in := estate.RunInstancesInput{ImageID: or(c.Arg("image-id"), "ami-0abcdef1234567890"), InstanceType: or(c.Arg("instance-type"), "t3.micro"),
				IamInstanceProfile: profileName(c.Arg("iam-instance-profile")), DryRun: c.Has("dry-run")}
			out, err := e.Estate.RunInstances(e.call(caller), in)
			if out != nil {
				r.Checks = append(r.Checks, out.Checks...)
			}
			if err != nil {
				r.Fail(err, "RunInstances")
				r.Encoded = encodedMessage(r.Message)
				return
			}
			r.Succeed(map[string]any{"Instances": []map[string]any{{"InstanceId": out.InstanceID, "InstanceType": in.InstanceType, "IamInstanceProfile": in.IamInstanceProfile}}})
		}},
	{Service: "ec2", Operation: "describe-instances", Help: "list instances (ec2:DescribeInstances)",
		Run: func(e *Env, r *Result, caller estate.Caller, c *Command) {
			authorizeOnly(e, r, caller, "ec2:DescribeInstances", "*", "DescribeInstances", map[string]any{"Reservations": e.reservations()})
		}},
	{Service: "ec2", Operation: "disassociate-iam-instance-profile", Required: []string{"instance-id"}, Help: "take the role away from an instance",
		Run: func(e *Env, r *Result, caller estate.Caller, c *Command) {
			checks, err := e.Estate.DisassociateIamInstanceProfile(e.call(caller), c.Arg("instance-id"))
			r.Checks = append(r.Checks, checks...)
			r.finish(map[string]any{"IamInstanceProfileAssociation": map[string]string{"InstanceId": c.Arg("instance-id"), "State": "disassociating"}}, err, "DisassociateIamInstanceProfile")
		}},
	{Service: "kms", Operation: "decrypt", Required: []string{"key-id"}, Optional: []string{"ciphertext-blob", "encryption-context", "grant-tokens"},
		Help: "use a KMS key (kms:Decrypt), with the encryption context it was encrypted under",
		Run: kmsUse("kms:Decrypt", "Decrypt", func(arn string) any {
			return map[string]string{"KeyId": arn, "Plaintext": "c2VjcmV0", "EncryptionAlgorithm": "SYMMETRIC_DEFAULT"}
		})},
	// KMS grants and encryption contexts (issue 11, piece 5).
	{Service: "kms", Operation: "encrypt", Required: []string{"key-id"}, Optional: []string{"plaintext", "encryption-context", "grant-tokens"},
		Help: "encrypt with a KMS key (kms:Encrypt), under an encryption context",
		Run: kmsUse("kms:Encrypt", "Encrypt", func(arn string) any {
			return map[string]string{"CiphertextBlob": "AQICAHhXYWJjZGVm", "KeyId": arn, "EncryptionAlgorithm": "SYMMETRIC_DEFAULT"}
		})},
	{Service: "kms", Operation: "create-grant", Required: []string{"key-id", "grantee-principal", "operations"},
		Optional: []string{"retiring-principal", "constraints", "name", "grant-tokens"},
		Help:     "let a principal use a key for some operations (kms:CreateGrant), optionally only under an encryption context",
		Run:      createGrant},
	{Service: "kms", Operation: "list-grants", Required: []string{"key-id"}, Optional: []string{"grant-id", "grantee-principal"}, Help: "list a key's grants (kms:ListGrants)",
		Run: listGrants},
	{Service: "kms", Operation: "retire-grant", Required: []string{"key-id", "grant-id"}, Optional: []string{"grant-token"},
		Help: "delete a grant as its retiring principal, or its grantee when it allows RetireGrant",
		Run: dropGrant("RetireGrant", func(e *Env, c estate.Call, key, id string) (*estate.Decision, error) {
			return e.Estate.RetireGrant(c, key, id)
		})},
	{Service: "kms", Operation: "revoke-grant", Required: []string{"key-id", "grant-id"}, Help: "delete a grant (kms:RevokeGrant)",
		Run: dropGrant("RevokeGrant", func(e *Env, c estate.Call, key, id string) (*estate.Decision, error) {
			return e.Estate.RevokeGrant(c, key, id)
		})},
	{Service: "dynamodb", Operation: "get-item", Required: []string{"table-name"}, Help: "read an item (dynamodb:GetItem)",
		Run: func(e *Env, r *Result, caller estate.Caller, c *Command) {
			arn := "arn:aws:dynamodb:" + estate.DefaultRegion + ":" + e.Account + ":table/" + c.Arg("table-name")
			authorizeOnly(e, r, caller, "dynamodb:GetItem", arn, "GetItem", map[string]any{"Item": map[string]any{}})
		}},

	{Service: "iam", Operation: "list-users", Help: "list users (iam:ListUsers)",
		Run: func(e *Env, r *Result, caller estate.Caller, c *Command) {
			authorizeOnly(e, r, caller, "iam:ListUsers", "arn:aws:iam::"+e.Account+":user/", "ListUsers", map[string]any{"Users": e.userNames()})
		}},
	{Service: "iam", Operation: "get-user", Optional: []string{"user-name"}, Help: "show a user (iam:GetUser)",
		Run: func(e *Env, r *Result, caller estate.Caller, c *Command) {
			authorizeOnly(e, r, caller, "iam:GetUser", estate.UserARN(e.Account, "/", c.Arg("user-name")), "GetUser", map[string]any{"Users": e.userNames()})
		}},
	// The IAM writes act with the account's authority once the caller is
	// allowed the action: scenarios show what IAM does to the estate.
	iamWrite("delete-user", []string{"user-name"}, "delete a user (the API refuses while policies, groups or MFA remain)",
		func(e *Env, c *Command) (string, string, func() (any, error)) {
			return "iam:DeleteUser", estate.UserARN(e.Account, "/", c.Arg("user-name")), func() (any, error) {
				return nil, e.Estate.DeleteUserAPI(e.Account, c.Arg("user-name"))
			}
		}),
	iamWrite("detach-user-policy", []string{"user-name", "policy-arn"}, "detach a managed policy from a user; the policy stays in the account",
		func(e *Env, c *Command) (string, string, func() (any, error)) {
			return "iam:DetachUserPolicy", estate.UserARN(e.Account, "/", c.Arg("user-name")), func() (any, error) {
				return nil, e.Estate.DetachUserPolicy(e.Account, c.Arg("user-name"), c.Arg("policy-arn"))
			}
		}),
	iamWrite("remove-user-from-group", []string{"group-name", "user-name"}, "take a user out of a group",
		func(e *Env, c *Command) (string, string, func() (any, error)) {
			return "iam:RemoveUserFromGroup", estate.GroupARN(e.Account, "/", c.Arg("group-name")), func() (any, error) {
				return nil, e.Estate.RemoveUserFromGroup(e.Account, c.Arg("group-name"), c.Arg("user-name"))
			}
		}),
	iamWrite("delete-user-policy", []string{"user-name", "policy-name"}, "delete a user's inline policy",
		func(e *Env, c *Command) (string, string, func() (any, error)) {
			return "iam:DeleteUserPolicy", estate.UserARN(e.Account, "/", c.Arg("user-name")), func() (any, error) {
				return nil, e.Estate.DeleteUserPolicy(e.Account, c.Arg("user-name"), c.Arg("policy-name"))
			}
		}),
	iamWrite("put-user-policy", []string{"user-name", "policy-name", "policy-document"}, "write a user's inline policy",
		func(e *Env, c *Command) (string, string, func() (any, error)) {
			return "iam:PutUserPolicy", estate.UserARN(e.Account, "/", c.Arg("user-name")), func() (any, error) {
				return nil, e.Estate.PutUserPolicy(e.Account, c.Arg("user-name"), c.Arg("policy-name"), c.Arg("policy-document"))
			}
		}),
	withFlags(iamWrite("create-policy-version", []string{"policy-arn", "policy-document"}, "add a version to a customer managed policy (at most 5)",
		func(e *Env, c *Command) (string, string, func() (any, error)) {
			return "iam:CreatePolicyVersion", c.Arg("policy-arn"), func() (any, error) {
				v, err := e.Estate.CreatePolicyVersion(c.Arg("policy-arn"), c.Arg("policy-document"), c.Has("set-as-default"))
				return map[string]any{"PolicyVersion": map[string]any{"VersionId": v, "IsDefaultVersion": c.Has("set-as-default")}}, err
			}
		}), "set-as-default"),
	iamWrite("set-default-policy-version", []string{"policy-arn", "version-id"}, "roll a managed policy back or forward",
		func(e *Env, c *Command) (string, string, func() (any, error)) {
			return "iam:SetDefaultPolicyVersion", c.Arg("policy-arn"), func() (any, error) {
				return nil, e.Estate.SetDefaultPolicyVersion(c.Arg("policy-arn"), c.Arg("version-id"))
			}
		}),
	iamWrite("get-policy-version", []string{"policy-arn", "version-id"}, "show one version of a managed policy",
		func(e *Env, c *Command) (string, string, func() (any, error)) {
			return "iam:GetPolicyVersion", c.Arg("policy-arn"), func() (any, error) { return e.policyVersion(c.Arg("policy-arn"), c.Arg("version-id")) }
		}),
	iamWrite("remove-role-from-instance-profile", []string{"instance-profile-name", "role-name"}, "take the role out of an instance profile",
		func(e *Env, c *Command) (string, string, func() (any, error)) {
			return "iam:RemoveRoleFromInstanceProfile", estate.InstanceProfileARN(e.Account, "/", c.Arg("instance-profile-name")), func() (any, error) {
				return nil, e.Estate.RemoveRoleFromInstanceProfile(e.Account, c.Arg("instance-profile-name"), c.Arg("role-name"))
			}
		}),

	// The high-level aws s3 commands: ls is run; the others are refused
	// with the s3api commands that do the same.
	// https://docs.aws.amazon.com/cli/latest/reference/s3/
	{Service: "s3", Operation: "ls", Positional: []Positional{{Name: "S3Uri", Optional: true}}, Flags: []string{"recursive"},
		Help: "list your buckets (s3:ListAllMyBuckets), or a bucket's objects (s3:ListBucket)", Run: s3ls},
	s3Refused("cp", "aws s3api get-object to download an object, aws s3api put-object to upload one"),
	s3Refused("mv", "aws s3api get-object or put-object, then aws s3api delete-object"),
	s3Refused("rm", "aws s3api delete-object"),
	s3Refused("sync", "aws s3api list-objects-v2, then get-object or put-object for each object"),
	s3Refused("mb", "aws s3api create-bucket, which the sandbox does not run: a scenario's buckets are in its estate"),
	s3Refused("rb", "aws s3api delete-bucket, which the sandbox does not run: a scenario's buckets are in its estate"),
	s3Refused("presign", "aws s3api get-object as the signer: a presigned URL carries its signer's permissions, checked when it is used"),
	s3Refused("website", "aws s3api put-bucket-website, which the sandbox does not run"),
}

// iamWrite is an IAM command that takes the action on the resource do
// names, then, once the caller is allowed it, does it.
func iamWrite(op string, required []string, help string, do func(e *Env, c *Command) (action, resource string, run func() (any, error))) Spec {
	return Spec{Service: "iam", Operation: op, Required: required, Help: help,
		Run: func(e *Env, r *Result, caller estate.Caller, c *Command) {
			action, resource, run := do(e, c)
			d := e.Estate.Authorize(e.call(caller), action, resource)
			r.Checks = append(r.Checks, d)
			if d.Err != nil {
				r.Fail(d.Err, OperationName(op))
				return
			}
			out, err := run()
			if err != nil {
				r.Fail(err, OperationName(op))
				return
			}
			if out == nil {
				out = struct{}{}
			}
			r.Succeed(out)
		}}
}

func withFlags(s Spec, flags ...string) Spec {
	s.Flags = append(s.Flags, flags...)
	return s
}

// s3Refused is a high-level aws s3 command the sandbox does not run.
func s3Refused(op, instead string) Spec {
	return Spec{Service: "s3", Operation: op, Refuse: "the sandbox runs the s3api commands, one API call each, so each call's authorization can be explained; use " + instead}
}

// s3Commands are the operations of aws s3.
func s3Commands() []string {
	var out []string
	for _, s := range commandSpecs {
		if s.Service == "s3" {
			out = append(out, s.Operation)
		}
	}
	return out
}

// s3ls is aws s3 ls: with no S3Uri, the caller's buckets (ListBuckets);
// with s3://BUCKET/PREFIX, the objects and common prefixes under it
// (ListObjectsV2 with the delimiter /), as the CLI prints them.
func s3ls(e *Env, r *Result, caller estate.Caller, c *Command) {
	uri := c.Arg("S3Uri")
	if uri == "" {
		d := e.Estate.Authorize(e.call(caller), "s3:ListAllMyBuckets", "*")
		r.Checks = append(r.Checks, d)
		if d.Err != nil {
			r.Fail(d.Err, "ListBuckets")
			return
		}
		acct := e.Account
		if id, err := e.STS.GetCallerIdentity(caller); err == nil {
			acct = id.Account
		}
		var lines []string
		if a := e.Estate.Accounts[acct]; a != nil {
			for _, name := range slices.Sorted(maps.Keys(a.Buckets)) {
				lines = append(lines, e.Now().UTC().Format("2006-01-02 15:04:05")+" "+name)
			}
		}
		r.Output = strings.Join(lines, "\n")
		return
	}
	rest, ok := strings.CutPrefix(uri, "s3://")
	if !ok {
		r.Code, r.Message = "ParamValidation", fmt.Sprintf("aws s3 ls: %q is not an S3 URI; write s3://BUCKET/PREFIX", uri)
		return
	}
	bucket, prefix, _ := strings.Cut(rest, "/")
	keys, checks, err := e.Estate.ListObjects(e.call(caller), bucket, prefix)
	r.Checks = append(r.Checks, checks...)
	if err != nil {
		r.Fail(err, "ListObjectsV2")
		return
	}
	var objects map[string]string
	for _, a := range e.Estate.Accounts {
		if b := a.Buckets[bucket]; b != nil {
			objects = b.Objects
		}
	}
	var lines []string
	seen := map[string]bool{}
	for _, k := range keys {
		name := strings.TrimPrefix(k, prefix)
		if dir, _, nested := strings.Cut(name, "/"); nested && !c.Has("recursive") {
			if !seen[dir] {
				seen[dir] = true
				lines = append(lines, fmt.Sprintf("%30s %s/", "PRE", dir))
			}
			continue
		}
		if c.Has("recursive") {
			name = k
		}
		lines = append(lines, fmt.Sprintf("%s %10d %s", e.Now().UTC().Format("2006-01-02 15:04:05"), len(objects[k]), name))
	}
	r.Output = strings.Join(lines, "\n")
}
