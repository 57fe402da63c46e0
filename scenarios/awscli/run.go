package awscli

import (
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"iamlab/engine/estate"
	"iamlab/engine/sts"
)

// Env is what commands run against: an estate, STS over it, the home
// account, the clock and the address calls come from.
type Env struct {
	Estate *estate.Estate
	STS    *sts.Service
	// Account is the home account, for names given without one.
	Account  string
	Now      func() time.Time
	SourceIP string
	// VPCEndpoint is the endpoint calls go through (--via), "" for none.
	VPCEndpoint string
	// CalledVia lists the services that forwarded the calls (--called-via).
	CalledVia []string
	// PlainHTTP: calls go without TLS (--endpoint-url http://...).
	PlainHTTP bool
}

// Result is what a command did, as the AWS CLI shows it.
type Result struct {
	// Code is "" on success, else AWS's error code (AccessDenied, ...).
	Code string
	// Status is the HTTP status AWS answers the error with; 0 on success.
	Status int
	// Message is the AWS CLI's error line, `An error occurred (CODE) when
	// calling the OPERATION operation: ...`.
	Message string
	// Output is the AWS CLI's output on success: JSON, or the text lines
	// of aws s3 ls.
	Output string
	// Checks are the authorizations the command took, in order.
	Checks []*estate.Decision
	// Denied is the check that denied the command, if one did.
	Denied *estate.Decision
	// Encoded is the encoded authorization message of a denied EC2 call.
	Encoded string
	// Session is the credentials the command returned, if any.
	Session *estate.Caller
	// Body is what the command wrote to its <outfile>: the object
	// get-object read.
	Body string
}

// Run runs a parsed command as caller. With --no-sign-request the call
// goes unsigned, as anonymous, whoever the caller is.
func Run(e *Env, caller estate.Caller, c *Command) *Result {
	r := &Result{}
	spec := Lookup(c.Service, c.Operation)
	if spec == nil || spec.Run == nil {
		r.Code, r.Message = "ParamValidation", "aws "+c.Service+" "+c.Operation+" is not supported in the sandbox"
		return r
	}
	if c.Has("no-sign-request") {
		caller = estate.Caller{}
	}
	if v := c.Arg("duration-seconds"); v != "" {
		if _, err := strconv.Atoi(v); err != nil {
			r.Code, r.Message = "ParamValidation", "Invalid value for parameter DurationSeconds: "+strconv.Quote(v)+" is not an integer"
			return r
		}
	}
	// The command's own options shape this call only: env is a copy.
	env := *e
	if v := c.Arg("via"); v != "" {
		if !strings.HasPrefix(v, "vpce-") {
			r.Code, r.Message = "ParamValidation", "Invalid value for --via: "+strconv.Quote(v)+" is not a VPC endpoint ID (vpce-...)"
			return r
		}
		env.VPCEndpoint = v
	}
	if v := c.Arg("endpoint-url"); v != "" {
		plain, err := plainHTTP(v)
		if err != nil {
			r.Code, r.Message = "ParamValidation", err.Error()
			return r
		}
		env.PlainHTTP = plain
	}
	if v := c.Arg("called-via"); v != "" {
		env.CalledVia = strings.Split(v, ",")
		for _, s := range env.CalledVia {
			if !strings.HasSuffix(s, ".amazonaws.com") {
				r.Code, r.Message = "ParamValidation", "Invalid value for --called-via: "+strconv.Quote(s)+" is not a service principal (NAME.amazonaws.com)"
				return r
			}
		}
	}
	spec.Run(&env, r, caller, c)
	return r
}

// call is a request by caller now.
func (e *Env) call(c estate.Caller) estate.Call {
	return estate.Call{Caller: c, Time: e.Now(), SourceIP: e.SourceIP, VPCEndpoint: e.VPCEndpoint, CalledVia: e.CalledVia, PlainHTTP: e.PlainHTTP}
}

// Fail records an error as the CLI reports it; operation is the API name
// (GetObject), "" when no call was made.
func (r *Result) Fail(err error, operation string) {
	var ae *estate.Error
	if errors.As(err, &ae) {
		r.Code, r.Status = ae.Code, ae.Status
		if operation != "" {
			r.Message = "An error occurred (" + ae.Code + ") when calling the " + operation + " operation: " + ae.Message
		} else {
			r.Message = ae.Code + ": " + ae.Message
		}
		if ae.Decision != nil {
			r.Denied = ae.Decision
		}
		return
	}
	r.Code, r.Message = "Error", err.Error()
}

// Succeed records the command's answer, as the CLI prints it.
func (r *Result) Succeed(v any) {
	b, err := json.MarshalIndent(v, "", "    ")
	if err != nil {
		r.Code, r.Message = "Error", err.Error()
		return
	}
	r.Output = string(b)
}

// finish records an answer or an error.
func (r *Result) finish(out any, err error, op string) {
	if err != nil {
		r.Fail(err, op)
		if r.Denied != nil {
			r.Checks = append(r.Checks, r.Denied)
		}
		return
	}
	r.Succeed(out)
}

// authorizeThen records an authorization and, once it allows, runs do:
// the answer is do's, or its error.
func authorizeThen(r *Result, d *estate.Decision, op string, do func() (any, error)) {
	if !r.authorized(d, op) {
		return
	}
	out, err := do()
	if err != nil {
		r.Fail(err, op)
		return
	}
	if out == nil {
		out = struct{}{}
	}
	r.Succeed(out)
}

// authorized records an authorization and reports whether it allowed the
// command; a denial is the command's error.
func (r *Result) authorized(d *estate.Decision, op string) bool {
	r.Checks = append(r.Checks, d)
	if d.Err != nil {
		r.Fail(d.Err, op)
		return false
	}
	return true
}

// decided records the decision an estate operation made (nil when it
// stopped before authorizing) and its error, if any; it reports whether
// the operation succeeded. A command whose success prints nothing, as
// put-bucket-policy's, needs no more.
func (r *Result) decided(d *estate.Decision, err error, op string) bool {
	if d != nil {
		r.Checks = append(r.Checks, d)
	}
	if err != nil {
		r.Fail(err, op)
		return false
	}
	return true
}

// authorizeOnly runs a command that the sandbox models only as its
// authorization: the answer is AWS's on success, its error otherwise.
func authorizeOnly(e *Env, r *Result, caller estate.Caller, action, resource, op string, out any) {
	d := e.Estate.Authorize(e.call(caller), action, resource)
	authorizeThen(r, d, op, func() (any, error) { return out, nil })
	if d.Err != nil {
		r.Encoded = encodedMessage(r.Message)
	}
}

// keep records returned credentials, so later commands can act with them.
func (r *Result) keep(c *sts.Credentials) {
	if c == nil {
		return
	}
	r.Session = &estate.Caller{AccessKeyID: c.AccessKeyId, SessionToken: c.SessionToken}
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

// OperationName is the API operation a CLI operation calls:
// get-object → GetObject.
func OperationName(op string) string {
	var b strings.Builder
	for _, part := range strings.Split(op, "-") {
		if part == "" {
			continue
		}
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	// The CLI names a few operations with acronyms.
	return strings.Replace(b.String(), "WithSaml", "WithSAML", 1)
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
				case "Key", "TagKey": // TagKey and TagValue: KMS's names
					tag.Key = val
				case "Value", "TagValue":
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

// ETag is an object's entity tag: an MD5-length hex digest of its
// content, stable for equal content.
func ETag(body string) string {
	h1, h2 := uint64(14695981039346656037), uint64(1099511628211)
	for i := 0; i < len(body); i++ {
		h1 = (h1 ^ uint64(body[i])) * 1099511628211
		h2 = (h2 ^ uint64(body[i])) * 14695981039346656037
	}
	return strconv.FormatUint(h1|1<<63, 16) + strconv.FormatUint(h2|1<<63, 16)
}

// reservations lists the estate's instances as describe-instances does:
// an empty list, not null, when there are none.
func (e *Env) reservations() []map[string]any {
	out := []map[string]any{}
	for _, a := range e.Estate.Accounts {
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

// AssociationID names an instance's instance profile association; the
// sandbox keeps one per instance, named after it.
func AssociationID(instanceID string) string {
	return "iip-assoc-" + strings.TrimPrefix(instanceID, "i-")
}

// instanceOfAssociation is the instance an association ID names.
func instanceOfAssociation(id string) (string, bool) {
	rest, ok := strings.CutPrefix(id, "iip-assoc-")
	if !ok || rest == "" {
		return "", false
	}
	return "i-" + rest, true
}

// profileAssociations lists the caller's account's instances that have an
// instance profile, those of ids only when ids are given.
func (e *Env) profileAssociations(caller estate.Caller, ids []string) []map[string]any {
	out := []map[string]any{}
	acct := e.callerAccount(caller)
	if a := e.Estate.Accounts[acct]; a != nil {
		for _, id := range slices.Sorted(maps.Keys(a.Instances)) {
			in := a.Instances[id]
			if in.InstanceProfile == "" || (len(ids) > 0 && !slices.Contains(ids, AssociationID(id))) {
				continue
			}
			out = append(out, map[string]any{"AssociationId": AssociationID(id), "InstanceId": id, "State": "associated",
				"IamInstanceProfile": map[string]string{"Arn": estate.InstanceProfileARN(acct, "/", in.InstanceProfile), "Id": "AIPA" + strings.ToUpper(strings.TrimPrefix(id, "i-"))}})
		}
	}
	return out
}

// bucket finds a bucket of any account, nil when there is none.
func (e *Env) bucket(name string) *estate.Bucket {
	name = e.Estate.BucketFor(name)
	for _, a := range e.Estate.Accounts {
		if b := a.Buckets[name]; b != nil {
			return b
		}
	}
	return nil
}

// callerAccount is the account of the caller, the home account when it
// cannot be told (an anonymous caller).
func (e *Env) callerAccount(caller estate.Caller) string {
	if id, err := e.STS.GetCallerIdentity(caller); err == nil {
		return id.Account
	}
	return e.Account
}

// keyARN is the ARN of the key a --key-id names for caller.
func (e *Env) keyARN(caller estate.Caller, id string) string {
	if strings.HasPrefix(id, "arn:") {
		return id
	}
	// A key ID alone names a key of the caller's own account; another
	// account's key needs its ARN.
	// https://docs.aws.amazon.com/kms/latest/APIReference/API_Encrypt.html#KMS-Encrypt-request-KeyId
	acct := e.callerAccount(caller)
	region := estate.DefaultRegion
	if a := e.Estate.Accounts[acct]; a != nil {
		if k, ok := a.Keys[id]; ok {
			region = or(k.Region, region)
		}
	}
	return estate.KeyARN(region, acct, id)
}

func (e *Env) policyVersion(arn, version string) (any, error) {
	for acct, a := range e.Estate.Accounts {
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
