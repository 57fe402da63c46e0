package scenarios

import (
	"encoding/json"
	"sort"
	"strconv"
	"strings"

	"iamlab/engine/estate"
	"iamlab/engine/sts"
)

// exec runs a parsed command as caller and fills in the outcome, as the
// AWS CLI would print it.
func (sb *Sandbox) exec(o *Outcome, caller estate.Caller, c *Command) {
	op := operationName(c.Operation)
	fail := func(err error) { o.fail(err, op) }
	if v := c.Arg("duration-seconds"); v != "" {
		if _, err := strconv.Atoi(v); err != nil {
			o.Code, o.Message = "ParamValidation", "Invalid value for parameter DurationSeconds: "+strconv.Quote(v)+" is not an integer"
			return
		}
	}
	switch c.Service + " " + c.Operation {
	case "sts get-caller-identity":
		out, err := sb.STS.GetCallerIdentity(caller)
		sb.finish(o, out, err, op)
	case "sts assume-role":
		in := sts.AssumeRoleInput{RoleArn: c.Arg("role-arn"), RoleSessionName: c.Arg("role-session-name"),
			ExternalId: c.Arg("external-id"), SerialNumber: c.Arg("serial-number"), TokenCode: c.Arg("token-code"),
			Policy: c.Arg("policy"), PolicyArns: policyArns(c), DurationSeconds: duration(c), SourceIdentity: c.Arg("source-identity"),
			Tags: tags(c), TransitiveTagKeys: list(c, "transitive-tag-keys")}
		out, err := sb.STS.AssumeRole(caller, in)
		if err == nil {
			sb.keep(o, out.Credentials)
		}
		sb.finish(o, out, err, op)
	case "sts assume-role-with-web-identity":
		in := sts.AssumeRoleWithWebIdentityInput{RoleArn: c.Arg("role-arn"), RoleSessionName: c.Arg("role-session-name"),
			WebIdentityToken: c.Arg("web-identity-token"), ProviderId: c.Arg("provider-id"), Policy: c.Arg("policy"),
			PolicyArns: policyArns(c), DurationSeconds: duration(c)}
		out, err := sb.STS.AssumeRoleWithWebIdentity(in)
		if err == nil {
			sb.keep(o, out.Credentials)
		}
		sb.finish(o, out, err, op)
	case "sts assume-role-with-saml":
		in := sts.AssumeRoleWithSAMLInput{RoleArn: c.Arg("role-arn"), PrincipalArn: c.Arg("principal-arn"),
			SAMLAssertion: c.Arg("saml-assertion"), Policy: c.Arg("policy"), PolicyArns: policyArns(c), DurationSeconds: duration(c)}
		out, err := sb.STS.AssumeRoleWithSAML(in)
		if err == nil {
			sb.keep(o, out.Credentials)
		}
		sb.finish(o, out, err, op)
	case "sts get-session-token":
		in := sts.GetSessionTokenInput{SerialNumber: c.Arg("serial-number"), TokenCode: c.Arg("token-code"), DurationSeconds: duration(c)}
		out, err := sb.STS.GetSessionToken(caller, in)
		if err == nil {
			sb.keep(o, out.Credentials)
		}
		sb.finish(o, out, err, op)
	case "sts get-federation-token":
		in := sts.GetFederationTokenInput{Name: c.Arg("name"), Policy: c.Arg("policy"), PolicyArns: policyArns(c), DurationSeconds: duration(c), Tags: tags(c)}
		out, err := sb.STS.GetFederationToken(caller, in)
		if err == nil {
			sb.keep(o, out.Credentials)
		}
		sb.finish(o, out, err, op)
	case "sts decode-authorization-message":
		out, err := sb.STS.DecodeAuthorizationMessage(caller, sts.DecodeAuthorizationMessageInput{EncodedMessage: c.Arg("encoded-message")})
		sb.finish(o, out, err, op)
	case "s3api get-object":
		out, err := sb.Estate.GetObject(sb.call(caller), c.Arg("bucket"), c.Arg("key"))
		if out != nil {
			o.Checks = append(o.Checks, out.Checks...)
		}
		if err != nil {
			fail(err)
			return
		}
		o.succeed(map[string]any{"ContentLength": len(out.Body), "Body": out.Body})
	case "s3api put-object":
		checks, err := sb.Estate.PutObject(sb.call(caller), c.Arg("bucket"), c.Arg("key"), c.Arg("body"))
		o.Checks = append(o.Checks, checks...)
		if err != nil {
			fail(err)
			return
		}
		o.succeed(map[string]any{"ETag": `"` + etag(c.Arg("body")) + `"`})
	case "s3api list-objects-v2":
		keys, checks, err := sb.Estate.ListObjects(sb.call(caller), c.Arg("bucket"), c.Arg("prefix"))
		o.Checks = append(o.Checks, checks...)
		if err != nil {
			fail(err)
			return
		}
		contents := make([]map[string]string, len(keys))
		for i, k := range keys {
			contents[i] = map[string]string{"Key": k}
		}
		o.succeed(map[string]any{"Name": c.Arg("bucket"), "Prefix": c.Arg("prefix"), "KeyCount": len(keys), "Contents": contents})
	case "s3api delete-object":
		d := sb.Estate.Authorize(sb.call(caller), "s3:DeleteObject", estate.ObjectARN(c.Arg("bucket"), c.Arg("key")))
		sb.authorizeThen(o, d, op, func() (any, error) {
			if b := sb.bucket(c.Arg("bucket")); b != nil {
				delete(b.Objects, c.Arg("key"))
			}
			return nil, nil
		})
	case "ec2 run-instances":
		in := estate.RunInstancesInput{ImageID: or(c.Arg("image-id"), "ami-0abcdef1234567890"), InstanceType: or(c.Arg("instance-type"), "t3.micro"),
			IamInstanceProfile: profileName(c.Arg("iam-instance-profile")), DryRun: c.Has("dry-run")}
		out, err := sb.Estate.RunInstances(sb.call(caller), in)
		if out != nil {
			o.Checks = append(o.Checks, out.Checks...)
		}
		if err != nil {
			o.fail(err, op)
			o.Encoded = encodedMessage(o.Message)
			return
		}
		o.succeed(map[string]any{"Instances": []map[string]any{{"InstanceId": out.InstanceID, "InstanceType": in.InstanceType, "IamInstanceProfile": in.IamInstanceProfile}}})
	case "ec2 describe-instances":
		sb.authorizeOnly(o, caller, "ec2:DescribeInstances", "*", op, map[string]any{"Reservations": sb.instances()})
	case "ec2 disassociate-iam-instance-profile":
		checks, err := sb.Estate.DisassociateIamInstanceProfile(sb.call(caller), c.Arg("instance-id"))
		o.Checks = append(o.Checks, checks...)
		sb.finish(o, map[string]any{"IamInstanceProfileAssociation": map[string]string{"InstanceId": c.Arg("instance-id"), "State": "disassociating"}}, err, op)
	case "kms decrypt":
		sb.authorizeOnly(o, caller, "kms:Decrypt", sb.keyARN(c.Arg("key-id")), op, map[string]string{"KeyId": sb.keyARN(c.Arg("key-id")), "Plaintext": "c2VjcmV0"})
	case "dynamodb get-item":
		arn := "arn:aws:dynamodb:" + estate.DefaultRegion + ":" + sb.Scenario.Account + ":table/" + c.Arg("table-name")
		sb.authorizeOnly(o, caller, "dynamodb:GetItem", arn, op, map[string]any{"Item": map[string]any{}})
	case "iam list-users", "iam get-user":
		action, arn := "iam:ListUsers", "arn:aws:iam::"+sb.Scenario.Account+":user/"
		if c.Operation == "get-user" {
			action = "iam:GetUser"
			arn = estate.UserARN(sb.Scenario.Account, "/", c.Arg("user-name"))
		}
		sb.authorizeOnly(o, caller, action, arn, op, map[string]any{"Users": sb.userNames()})
	default:
		sb.iam(o, caller, c, op)
	}
}

// iam runs the IAM write commands the scenarios use. Scenarios show what
// IAM does to the estate, so these act with the account's authority once
// the caller is allowed the action.
func (sb *Sandbox) iam(o *Outcome, caller estate.Caller, c *Command, op string) {
	acct := sb.Scenario.Account
	var action, resource string
	var do func() (any, error)
	switch c.Operation {
	case "delete-user":
		action, resource = "iam:DeleteUser", estate.UserARN(acct, "/", c.Arg("user-name"))
		do = func() (any, error) { return nil, sb.Estate.DeleteUserAPI(acct, c.Arg("user-name")) }
	case "detach-user-policy":
		action, resource = "iam:DetachUserPolicy", estate.UserARN(acct, "/", c.Arg("user-name"))
		do = func() (any, error) {
			return nil, sb.Estate.DetachUserPolicy(acct, c.Arg("user-name"), c.Arg("policy-arn"))
		}
	case "remove-user-from-group":
		action, resource = "iam:RemoveUserFromGroup", estate.GroupARN(acct, "/", c.Arg("group-name"))
		do = func() (any, error) {
			return nil, sb.Estate.RemoveUserFromGroup(acct, c.Arg("group-name"), c.Arg("user-name"))
		}
	case "delete-user-policy":
		action, resource = "iam:DeleteUserPolicy", estate.UserARN(acct, "/", c.Arg("user-name"))
		do = func() (any, error) {
			return nil, sb.Estate.DeleteUserPolicy(acct, c.Arg("user-name"), c.Arg("policy-name"))
		}
	case "put-user-policy":
		action, resource = "iam:PutUserPolicy", estate.UserARN(acct, "/", c.Arg("user-name"))
		do = func() (any, error) {
			return nil, sb.Estate.PutUserPolicy(acct, c.Arg("user-name"), c.Arg("policy-name"), c.Arg("policy-document"))
		}
	case "create-policy-version":
		action, resource = "iam:CreatePolicyVersion", c.Arg("policy-arn")
		do = func() (any, error) {
			v, err := sb.Estate.CreatePolicyVersion(c.Arg("policy-arn"), c.Arg("policy-document"), c.Has("set-as-default"))
			return map[string]any{"PolicyVersion": map[string]any{"VersionId": v, "IsDefaultVersion": c.Has("set-as-default")}}, err
		}
	case "set-default-policy-version":
		action, resource = "iam:SetDefaultPolicyVersion", c.Arg("policy-arn")
		do = func() (any, error) {
			return nil, sb.Estate.SetDefaultPolicyVersion(c.Arg("policy-arn"), c.Arg("version-id"))
		}
	case "get-policy-version":
		action, resource = "iam:GetPolicyVersion", c.Arg("policy-arn")
		do = func() (any, error) { return sb.policyVersion(c.Arg("policy-arn"), c.Arg("version-id")) }
	case "remove-role-from-instance-profile":
		action, resource = "iam:RemoveRoleFromInstanceProfile", estate.InstanceProfileARN(acct, "/", c.Arg("instance-profile-name"))
		do = func() (any, error) {
			return nil, sb.Estate.RemoveRoleFromInstanceProfile(acct, c.Arg("instance-profile-name"), c.Arg("role-name"))
		}
	default:
		o.Code, o.Message = "ParamValidation", "aws "+c.Service+" "+c.Operation+" is not supported in the sandbox"
		return
	}
	sb.authorizeThen(o, sb.Estate.Authorize(sb.call(caller), action, resource), op, do)
}

// authorizeThen records an authorization and, when it allows, runs do:
// the outcome is do's answer, or the first error.
func (sb *Sandbox) authorizeThen(o *Outcome, d *estate.Decision, op string, do func() (any, error)) {
	o.Checks = append(o.Checks, d)
	if d.Err != nil {
		o.fail(d.Err, op)
		return
	}
	out, err := do()
	if err != nil {
		o.fail(err, op)
		return
	}
	if out == nil {
		out = struct{}{}
	}
	o.succeed(out)
}

// authorizeOnly runs a command that the sandbox models only as its
// authorization: the answer is AWS's on success, its error otherwise.
func (sb *Sandbox) authorizeOnly(o *Outcome, caller estate.Caller, action, resource, op string, out any) {
	d := sb.Estate.Authorize(sb.call(caller), action, resource)
	o.Checks = append(o.Checks, d)
	if d.Err != nil {
		o.fail(d.Err, op)
		o.Encoded = encodedMessage(o.Message)
		return
	}
	o.succeed(out)
}

func (sb *Sandbox) finish(o *Outcome, out any, err error, op string) {
	if err != nil {
		o.fail(err, op)
		if o.Denied != nil {
			o.Checks = append(o.Checks, o.Denied)
		}
		return
	}
	o.succeed(out)
}

// keep records returned credentials, so later steps can act with them.
func (sb *Sandbox) keep(o *Outcome, c *sts.Credentials) {
	if c == nil {
		return
	}
	o.Session = &estate.Caller{AccessKeyID: c.AccessKeyId, SessionToken: c.SessionToken}
}

// encodedMessage takes the encoded authorization failure message out of an
// EC2-style error text.
func encodedMessage(msg string) string {
	const marker = "Encoded authorization failure message: "
	i := strings.Index(msg, marker)
	if i < 0 {
		return ""
	}
	return strings.TrimSpace(msg[i+len(marker):])
}

func operationName(op string) string {
	var b strings.Builder
	for _, part := range strings.Split(op, "-") {
		if part == "" {
			continue
		}
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	s := b.String()
	// The CLI names a few operations with acronyms.
	s = strings.Replace(s, "WithSaml", "WithSAML", 1)
	s = strings.Replace(s, "ObjectsV2", "ObjectsV2", 1)
	return s
}

func duration(c *Command) *int32 {
	v := c.Arg("duration-seconds")
	if v == "" {
		return nil
	}
	n, err := strconv.ParseInt(v, 10, 32)
	if err != nil {
		return nil
	}
	return sts.Int32(int32(n))
}

func policyArns(c *Command) []sts.PolicyDescriptor {
	var out []sts.PolicyDescriptor
	for _, v := range c.Args["policy-arns"] {
		for _, part := range strings.Fields(strings.ReplaceAll(v, ",", " ")) {
			part = strings.TrimPrefix(part, "arn=")
			if strings.HasPrefix(part, "arn:") {
				out = append(out, sts.PolicyDescriptor{Arn: part})
			}
		}
	}
	return out
}

// tags reads --tags Key=team,Value=blue Key=x,Value=y.
func tags(c *Command) []sts.Tag {
	var out []sts.Tag
	for _, v := range c.Args["tags"] {
		for _, t := range strings.Fields(v) {
			var tag sts.Tag
			for _, kv := range strings.Split(t, ",") {
				k, val, _ := strings.Cut(kv, "=")
				switch k {
				case "Key":
					tag.Key = val
				case "Value":
					tag.Value = val
				}
			}
			out = append(out, tag)
		}
	}
	return out
}

func list(c *Command, name string) []string {
	var out []string
	for _, v := range c.Args[name] {
		out = append(out, strings.Fields(v)...)
	}
	return out
}

// profileName reads --iam-instance-profile Name=NAME or Arn=ARN.
func profileName(v string) string {
	for _, part := range strings.Split(v, ",") {
		k, val, ok := strings.Cut(part, "=")
		if ok && (k == "Name" || k == "Arn") {
			return val
		}
	}
	return v
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func etag(body string) string {
	h := uint64(14695981039346656037)
	for i := 0; i < len(body); i++ {
		h = (h ^ uint64(body[i])) * 1099511628211
	}
	return strconv.FormatUint(h, 16)
}

func (sb *Sandbox) instances() []map[string]any {
	var out []map[string]any
	for _, a := range sb.Estate.Accounts {
		for id, in := range a.Instances {
			out = append(out, map[string]any{"Instances": []map[string]string{{"InstanceId": id, "InstanceType": in.InstanceType, "IamInstanceProfile": in.InstanceProfile}}})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, _ := json.Marshal(out[i])
		b, _ := json.Marshal(out[j])
		return string(a) < string(b)
	})
	return out
}

func (sb *Sandbox) userNames() []map[string]string {
	out := []map[string]string{}
	a := sb.Estate.Accounts[sb.Scenario.Account]
	if a == nil {
		return out
	}
	for name := range a.Users {
		out = append(out, map[string]string{"UserName": name})
	}
	sort.Slice(out, func(i, j int) bool { return out[i]["UserName"] < out[j]["UserName"] })
	return out
}

func (sb *Sandbox) keyARN(id string) string {
	if strings.HasPrefix(id, "arn:") {
		return id
	}
	for acct, a := range sb.Estate.Accounts {
		if k, ok := a.Keys[id]; ok {
			return estate.KeyARN(or(k.Region, estate.DefaultRegion), acct, id)
		}
	}
	return estate.KeyARN(estate.DefaultRegion, sb.Scenario.Account, id)
}

func (sb *Sandbox) policyVersion(arn, version string) (any, error) {
	for acct, a := range sb.Estate.Accounts {
		for name, p := range a.Policies {
			if estate.PolicyARN(acct, p.Path, name) != arn {
				continue
			}
			for _, v := range p.Versions {
				if v.ID == version {
					return map[string]any{"PolicyVersion": map[string]any{"VersionId": v.ID, "IsDefaultVersion": v.ID == p.DefaultVersion, "Document": json.RawMessage(v.Document.Text())}}, nil
				}
			}
		}
	}
	return nil, &estate.Error{Code: "NoSuchEntity", Status: 404, Message: "Policy " + arn + " version " + version + " does not exist or is not attachable."}
}
