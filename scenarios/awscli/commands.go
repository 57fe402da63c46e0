package awscli

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"iamlab/engine"

	"iamlab/engine/estate"
	"iamlab/engine/sts"
)

// commandSpecs is every command the sandbox knows, each with the function
// that runs it: the core commands below, the tagging commands
// (tagging.go), S3 access points (accesspoint_cmds.go) and the S3 ACL
// commands (s3acl_cmds.go). Adding a command is adding an entry.
var commandSpecs = slices.Concat(coreSpecs, tagSpecs(), accessPointSpecs, aclSpecs())

var coreSpecs = []Spec{
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
			r.Succeed(map[string]any{"AcceptRanges": "bytes", "ContentLength": len(out.Body), "ETag": `"` + ETag(out.Body) + `"`,
				"ContentType": "binary/octet-stream", "Metadata": map[string]string{}})
			r.Body = out.Body
		}},
	{Service: "s3api", Operation: "put-object", Required: []string{"bucket", "key"}, Optional: []string{"body", "acl", "server-side-encryption", "ssekms-key-id", "grant-full-control", "grant-read", "grant-read-acp", "grant-write-acp"},
		Help: "write an object (s3:PutObject)",
		Run: func(e *Env, r *Result, caller estate.Caller, c *Command) {
			call := e.call(caller)
			s3RequestKeys(&call, c)
			aclRequestKeys(&call, c)
			checks, err := e.Estate.PutObject(call, c.Arg("bucket"), c.Arg("key"), c.Arg("body"))
			r.Checks = append(r.Checks, checks...)
			if err != nil {
				r.Fail(err, "PutObject")
				return
			}
			r.Succeed(map[string]any{"ETag": `"` + ETag(c.Arg("body")) + `"`})
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
			var objects map[string]string
			if b := e.bucket(c.Arg("bucket")); b != nil {
				objects = b.Objects
			}
			contents := make([]map[string]any, len(keys))
			for i, k := range keys {
				contents[i] = map[string]any{"Key": k, "ETag": `"` + ETag(objects[k]) + `"`, "Size": len(objects[k]), "StorageClass": "STANDARD"}
			}
			r.Succeed(map[string]any{"Name": c.Arg("bucket"), "Prefix": c.Arg("prefix"), "KeyCount": len(keys), "Contents": contents})
		}},
	{Service: "s3api", Operation: "delete-object", Required: []string{"bucket", "key"}, Help: "delete an object (s3:DeleteObject)",
		Run: func(e *Env, r *Result, caller estate.Caller, c *Command) {
			d := e.Estate.Authorize(e.call(caller), "s3:DeleteObject", e.Estate.ObjectARNFor(c.Arg("bucket"), c.Arg("key")))
			authorizeThen(r, d, "DeleteObject", func() (any, error) {
				if b := e.bucket(c.Arg("bucket")); b != nil {
					delete(b.Objects, c.Arg("key"))
					delete(b.ObjectACLs, c.Arg("key"))
				}
				return nil, nil
			})
		}},
	// A bucket's policy, read and changed through S3.
	{Service: "s3api", Operation: "get-bucket-policy", Required: []string{"bucket"}, Help: "show a bucket's policy (s3:GetBucketPolicy)",
		Run: func(e *Env, r *Result, caller estate.Caller, c *Command) {
			bucketOp(e, r, caller, c.Arg("bucket"), "s3:GetBucketPolicy", "GetBucketPolicy", func(b *estate.Bucket) (any, error) {
				if b.Policy == nil {
					return nil, &estate.Error{Code: "NoSuchBucketPolicy", Status: 404, Message: "The bucket policy does not exist"}
				}
				return map[string]string{"Policy": b.Policy.Text()}, nil
			})
		}},
	{Service: "s3api", Operation: "delete-bucket-policy", Required: []string{"bucket"}, Help: "remove a bucket's policy (s3:DeleteBucketPolicy)",
		Run: func(e *Env, r *Result, caller estate.Caller, c *Command) {
			bucketOp(e, r, caller, c.Arg("bucket"), "s3:DeleteBucketPolicy", "DeleteBucketPolicy", func(*estate.Bucket) (any, error) {
				return nil, e.Estate.DeleteBucketPolicy(c.Arg("bucket"))
			})
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
	// The real command names the association, not the instance; the
	// sandbox names each instance's association after it (AssociationID).
	// https://docs.aws.amazon.com/cli/latest/reference/ec2/disassociate-iam-instance-profile.html
	{Service: "ec2", Operation: "disassociate-iam-instance-profile", Required: []string{"association-id"}, Help: "take the role away from an instance (find the association with describe-iam-instance-profile-associations)",
		Run: func(e *Env, r *Result, caller estate.Caller, c *Command) {
			assoc := c.Arg("association-id")
			instance, ok := instanceOfAssociation(assoc)
			if !ok {
				r.Fail(&estate.Error{Code: "InvalidAssociationID.NotFound", Status: 400, Message: "An association ID '" + assoc + "' does not exist"}, "DisassociateIamInstanceProfile")
				return
			}
			checks, err := e.Estate.DisassociateIamInstanceProfile(e.call(caller), instance)
			r.Checks = append(r.Checks, checks...)
			r.finish(map[string]any{"IamInstanceProfileAssociation": map[string]string{"AssociationId": assoc, "InstanceId": instance, "State": "disassociating"}}, err, "DisassociateIamInstanceProfile")
		}},
	{Service: "ec2", Operation: "describe-iam-instance-profile-associations", Optional: []string{"association-ids"},
		Help: "list which instance profile each instance has (ec2:DescribeIamInstanceProfileAssociations)",
		Run: func(e *Env, r *Result, caller estate.Caller, c *Command) {
			authorizeOnly(e, r, caller, "ec2:DescribeIamInstanceProfileAssociations", "*", "DescribeIamInstanceProfileAssociations",
				map[string]any{"IamInstanceProfileAssociations": e.profileAssociations(caller, list(c, "association-ids"))})
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
			acct := e.callerAccount(caller)
			authorizeOnly(e, r, caller, "iam:ListUsers", "arn:aws:iam::"+acct+":user/", "ListUsers", map[string]any{"Users": e.users(acct), "IsTruncated": false})
		}},
	{Service: "iam", Operation: "get-user", Optional: []string{"user-name"}, Help: "show a user (iam:GetUser)",
		Run: getUser},
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
	{Service: "iam", Operation: "simulate-custom-policy", Required: []string{"policy-input-list", "action-names"},
		Optional: []string{"permissions-boundary-policy-input-list", "resource-arns", "resource-policy", "resource-owner", "caller-arn", "context-entries"},
		Help:     "evaluate policies you pass against actions and resources, as the IAM policy simulator does (iam:SimulateCustomPolicy)",
		Run: func(e *Env, r *Result, caller estate.Caller, c *Command) {
			simulate(e, r, caller, c, "SimulateCustomPolicy")
		}},
	{Service: "iam", Operation: "simulate-principal-policy", Required: []string{"policy-source-arn", "action-names"},
		Optional: []string{"policy-input-list", "permissions-boundary-policy-input-list", "resource-arns", "resource-policy", "resource-owner", "caller-arn", "context-entries"},
		Help:     "evaluate a user's or role's policies against actions and resources (iam:SimulatePrincipalPolicy)",
		Run: func(e *Env, r *Result, caller estate.Caller, c *Command) {
			simulate(e, r, caller, c, "SimulatePrincipalPolicy")
		}},

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
			authorizeThen(r, e.Estate.Authorize(e.call(caller), action, resource), OperationName(op), run)
		}}
}

// bucketOp authorizes action on a bucket and then runs do. S3 answers
// NoSuchBucket before it looks at any policy.
func bucketOp(e *Env, r *Result, caller estate.Caller, bucket, action, op string, do func(*estate.Bucket) (any, error)) {
	b := e.bucket(bucket)
	if b == nil {
		r.Fail(&estate.Error{Code: estate.CodeNoSuchBucket, Status: 404, Message: "The specified bucket does not exist"}, op)
		return
	}
	call := e.call(caller)
	call.Region = b.Region
	authorizeThen(r, e.Estate.Authorize(call, action, estate.BucketARN(bucket)), op, func() (any, error) { return do(b) })
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
		if !r.authorized(d, "ListBuckets") {
			return
		}
		var lines []string
		for _, name := range e.ownBuckets(d) {
			lines = append(lines, e.Now().UTC().Format("2006-01-02 15:04:05")+" "+name)
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
	if b := e.bucket(bucket); b != nil {
		objects = b.Objects
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

// ownBuckets are the names of the buckets of the account of the caller
// that ListAllMyBuckets allowed, in order: what aws s3 ls and aws s3api
// list-buckets list.
func (e *Env) ownBuckets(d *estate.Decision) []string {
	if a := e.Estate.Accounts[d.Identity.Account]; a != nil {
		return slices.Sorted(maps.Keys(a.Buckets))
	}
	return nil
}

// contextEntry is one ContextEntries member.
type contextEntry struct {
	ContextKeyName   string
	ContextKeyValues []string
	ContextKeyType   string
}

type simPosition struct{ Line, Column int }

type simStatement struct {
	SourcePolicyId   string
	SourcePolicyType string `json:",omitempty"`
	StartPosition    simPosition
}

type simResult struct {
	EvalActionName       string
	EvalResourceName     string
	EvalDecision         string
	MatchedStatements    []simStatement
	MissingContextValues []string
}

// simulate is the IAM policy simulator, answered by the engine in AWS's
// response shape. Policies arrive one option each (--policy-input-list
// DOC --policy-input-list DOC), action names and resource ARNs as blank-
// separated lists, context entries one JSON object each.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulateCustomPolicy.html
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulatePrincipalPolicy.html
func simulate(e *Env, r *Result, caller estate.Caller, c *Command, op string) {
	action, resource := "iam:"+op, "*"
	if op == "SimulatePrincipalPolicy" {
		resource = c.Arg("policy-source-arn")
	}
	d := e.Estate.Authorize(e.call(caller), action, resource)
	if !r.authorized(d, op) {
		return
	}
	invalid := func(msg string) { r.Fail(&estate.Error{Code: estate.CodeInvalidInput, Status: 400, Message: msg}, op) }
	// parse reads policy texts, failing the outcome on the first bad one.
	parse := func(option string) ([]*engine.Policy, bool) {
		var out []*engine.Policy
		for _, text := range c.Args[option] {
			p, err := engine.ParsePolicy([]byte(text))
			if err != nil {
				r.Fail(&estate.Error{Code: estate.CodeMalformedPolicyDocument, Status: 400, Message: option + ": " + err.Error()}, op)
				return nil, false
			}
			out = append(out, p)
		}
		return out, true
	}
	inputs, ok1 := parse("policy-input-list")
	boundaries, ok2 := parse("permissions-boundary-policy-input-list")
	resourcePolicies, ok3 := parse("resource-policy")
	if !ok1 || !ok2 || !ok3 {
		return
	}
	var resourcePolicy, boundary *engine.Policy
	if len(resourcePolicies) > 0 {
		resourcePolicy = resourcePolicies[0]
	}
	if len(boundaries) > 0 {
		boundary = boundaries[0]
	}
	ctx := engine.Context{}
	for _, raw := range c.Args["context-entries"] {
		var ce contextEntry
		if err := json.Unmarshal([]byte(raw), &ce); err != nil || ce.ContextKeyName == "" {
			invalid("ContextEntries: each entry needs a ContextKeyName")
			return
		}
		ctx.Set(ce.ContextKeyName, ce.ContextKeyValues...)
	}
	resources := list(c, "resource-arns")
	if len(resources) == 0 {
		resources = []string{"*"}
	}
	// CallerArn can name only an IAM user.
	// https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulatePrincipalPolicy.html
	if arn := c.Arg("caller-arn"); arn != "" && !strings.Contains(arn, ":user/") {
		invalid("CallerArn must be the ARN of an IAM user, not " + arn + ": the simulator cannot call as an assumed role, a federated user or a service principal")
		return
	}
	// base builds the request of one action and resource.
	var base func(action, resource string) (engine.Request, func(engine.StatementRef) simStatement)
	switch op {
	case "SimulateCustomPolicy":
		// The simulator weighs only the policies passed, as an IAM user's:
		// a root caller's own authority must not allow what they do not.
		callerARN := c.Arg("caller-arn")
		switch {
		case callerARN != "":
		case d.Identity.Kind == estate.KindUser:
			callerARN = d.Identity.ARN
		default:
			callerARN = estate.UserARN(d.Identity.Account, "/", "simulated-caller")
		}
		base = func(action, resource string) (engine.Request, func(engine.StatementRef) simStatement) {
			req := engine.Request{Principal: &engine.Principal{ARN: callerARN, IdentityPolicies: inputs, PermissionsBoundary: boundary},
				Action: action, Resource: engine.Resource{ARN: resource, Account: accountOf(c.Arg("resource-owner")), Policy: resourcePolicy},
				Context: ctx, Time: e.Now()}
			ref := func(m engine.StatementRef) simStatement {
				id := "PolicyInputList." + strconv.Itoa(m.Policy+1)
				switch m.Type {
				case engine.PermissionsBoundary:
					id = "PermissionsBoundaryPolicyInputList.1"
				case engine.ResourcePolicy:
					id = "ResourcePolicy"
				}
				return simStatement{SourcePolicyId: id, StartPosition: position(req.PolicyOf(m.Type, m.Policy), m.Statement)}
			}
			return req, ref
		}
	default:
		id, err := e.simulatedIdentity(c.Arg("policy-source-arn"))
		if err != nil {
			invalid(err.Error())
			return
		}
		// A resource policy's Principal needs a caller to match: a user's
		// own ARN, or CallerArn for a role's or group's policies.
		callerARN := c.Arg("caller-arn")
		if resourcePolicy != nil && id.Kind != estate.KindUser && callerARN == "" {
			invalid("CallerArn is required when you include a ResourcePolicy and the PolicySourceArn is not the ARN of an IAM user")
			return
		}
		base = func(action, resource string) (engine.Request, func(engine.StatementRef) simStatement) {
			call := e.call(caller)
			call.Context = ctx
			sim := e.Estate.AuthorizeAs(id, call, action, resource)
			req := sim.Request
			// The simulator weighs only the resource policy it is given.
			req.Resource.Policy = resourcePolicy
			if req.Principal != nil {
				req.Principal.IdentityPolicies = append(req.Principal.IdentityPolicies, inputs...)
				if callerARN != "" {
					req.Principal.ARN = callerARN // CallerArn calls, with the source's policies
				}
			}
			ref := func(m engine.StatementRef) simStatement {
				src := sim.Sources.Ref(m)
				st := simStatement{SourcePolicyId: src.ARN, StartPosition: position(req.PolicyOf(m.Type, m.Policy), m.Statement)}
				switch {
				case src.Inline != "":
					st.SourcePolicyId, st.SourcePolicyType = src.Inline, strings.SplitN(src.Owner, "/", 2)[0]
				case strings.HasPrefix(src.ARN, "arn:aws:iam::aws:policy/"):
					st.SourcePolicyType = "aws-managed"
				case m.Type == engine.ResourcePolicy:
					st.SourcePolicyId, st.SourcePolicyType = "ResourcePolicy", "resource"
				case src.ARN != "":
					st.SourcePolicyType = "user-managed"
				default:
					st.SourcePolicyType = "none"
				}
				return st
			}
			return req, ref
		}
	}
	var results []simResult
	for _, action := range list(c, "action-names") {
		for _, res := range resources {
			req, ref := base(action, res)
			ev := engine.Evaluate(req)
			out := simResult{EvalActionName: action, EvalResourceName: res, MatchedStatements: []simStatement{}, MissingContextValues: missingKeys(ev.Trace)}
			switch ev.Decision {
			case engine.Allow:
				out.EvalDecision = "allowed"
			case engine.ExplicitDeny:
				out.EvalDecision = "explicitDeny"
			default:
				out.EvalDecision = "implicitDeny"
			}
			for _, m := range ev.Matched {
				out.MatchedStatements = append(out.MatchedStatements, ref(m))
			}
			results = append(results, out)
		}
	}
	if len(results) == 0 {
		invalid("ActionNames: at least one action is required")
		return
	}
	r.Succeed(map[string]any{"EvaluationResults": results, "IsTruncated": false})
}

// simulatedIdentity is the principal a SimulatePrincipalPolicy call names:
// an IAM user, or a role as a session of it.
func (e *Env) simulatedIdentity(arn string) (*estate.Identity, error) {
	if acct, name, role := e.Estate.RoleByARN(arn); role != nil {
		return &estate.Identity{Kind: estate.KindAssumedRole, Account: acct, ARN: estate.AssumedRoleARN(acct, name, "simulation"),
			UserID: role.ID + ":simulation", PrincipalARN: estate.RoleARN(acct, role.Path, name), RoleName: name, RolePath: role.Path,
			SessionName: "simulation"}, nil
	}
	id, err := e.Estate.Resolve(estate.Caller{ARN: arn}, e.Now())
	if err != nil || id.Kind != estate.KindUser {
		return nil, fmt.Errorf("PolicySourceArn %s is not a user or role of the estate", arn)
	}
	return id, nil
}

func accountOf(arn string) string {
	parts := strings.Split(arn, ":")
	if len(parts) >= 5 {
		return parts[4]
	}
	return ""
}

func position(p *engine.Policy, statement int) simPosition {
	if p == nil || statement >= len(p.Statements) {
		return simPosition{}
	}
	pos := p.Statements[statement].Pos
	return simPosition{Line: pos.Line, Column: pos.Col}
}

// missingKeys are the condition keys a statement tested that the request
// did not carry.
func missingKeys(trace []engine.Step) []string {
	seen := map[string]bool{}
	out := []string{}
	for _, st := range trace {
		if st.Miss.Element == engine.ElementCondition && st.Miss.KeyAbsent && st.Miss.Condition != nil && !seen[st.Miss.Condition.Key] {
			seen[st.Miss.Condition.Key] = true
			out = append(out, st.Miss.Condition.Key)
		}
	}
	return out
}

// getUser answers iam get-user with the named user, or with the caller's
// own user when no name is given, as IAM's GetUser does.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetUser.html
func getUser(e *Env, r *Result, caller estate.Caller, c *Command) {
	acct, name := e.Account, c.Arg("user-name")
	if name == "" {
		id, err := e.Estate.Resolve(caller, e.Now())
		if err != nil || id.Kind != estate.KindUser {
			r.Fail(estate.ValidationError("Must specify userName when calling with non-User credentials"), "GetUser")
			return
		}
		acct, name = id.Account, id.UserName
	}
	u := e.Estate.User(acct, name)
	arn := estate.UserARN(acct, "/", name)
	if u != nil {
		arn = estate.UserARN(acct, u.Path, name)
	}
	authorizeThen(r, e.Estate.Authorize(e.call(caller), "iam:GetUser", arn), "GetUser", func() (any, error) {
		if u == nil {
			return nil, &estate.Error{Code: "NoSuchEntity", Status: 404, Message: "The user with name " + name + " cannot be found."}
		}
		return map[string]any{"User": e.userJSON(acct, name, u)}, nil
	})
}

// userJSON is a user as IAM's GetUser and ListUsers give it. The estate
// keeps no creation dates; the scenario's clock stands in.
func (e *Env) userJSON(acct, name string, u *estate.User) map[string]string {
	path := u.Path
	if path == "" {
		path = "/"
	}
	return map[string]string{"Path": path, "UserName": name, "UserId": u.ID, "Arn": estate.UserARN(acct, u.Path, name),
		"CreateDate": e.Now().UTC().Format("2006-01-02T15:04:05Z")}
}

// users lists an account's users, by name.
func (e *Env) users(acct string) []map[string]string {
	out := []map[string]string{}
	if a := e.Estate.Accounts[acct]; a != nil {
		for _, name := range slices.Sorted(maps.Keys(a.Users)) {
			out = append(out, e.userJSON(acct, name, a.Users[name]))
		}
	}
	return out
}
