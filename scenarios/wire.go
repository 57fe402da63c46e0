package scenarios

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"iamlab/engine"
	"iamlab/engine/estate"
)

// This file is the entry point for callers that run commands arriving as
// AWS API requests rather than typed lines (iamlab serve): they build the
// Command the console would parse and run it on the same executor.

// Exec runs a command as caller, already authenticated, and returns what
// it did, exactly as the console would run it. It also runs the wire-only
// operations of wireOps, which the console does not offer.
func (sb *Sandbox) Exec(caller estate.Caller, c *Command) *Outcome {
	o := &Outcome{Command: c.Line}
	if run, ok := wireOps[c.Service+" "+c.Operation]; ok {
		run(sb, o, caller, c)
		return o
	}
	if findSpec(c.Service, c.Operation) == nil {
		o.Code, o.Message = "ParamValidation", "aws "+c.Service+" "+c.Operation+" is not supported in the sandbox"
		return o
	}
	sb.exec(o, caller, c)
	return o
}

// Known reports whether Exec runs the command.
func Known(service, operation string) bool {
	_, ok := wireOps[service+" "+operation]
	return ok || findSpec(service, operation) != nil
}

// wireOps are operations a client of the served estate needs that the
// console does not offer: a bucket's policy, read and changed through S3.
var wireOps = map[string]func(sb *Sandbox, o *Outcome, caller estate.Caller, c *Command){
	"s3api get-bucket-policy": func(sb *Sandbox, o *Outcome, caller estate.Caller, c *Command) {
		bucket := c.Arg("bucket")
		sb.bucketOp(o, caller, "s3:GetBucketPolicy", bucket, "GetBucketPolicy", func(b *estate.Bucket) (any, error) {
			if b.Policy == nil {
				return nil, &estate.Error{Code: "NoSuchBucketPolicy", Status: 404, Message: "The bucket policy does not exist"}
			}
			return map[string]string{"Policy": b.Policy.Text()}, nil
		})
	},
	"s3api put-bucket-policy": func(sb *Sandbox, o *Outcome, caller estate.Caller, c *Command) {
		bucket := c.Arg("bucket")
		sb.bucketOp(o, caller, "s3:PutBucketPolicy", bucket, "PutBucketPolicy", func(*estate.Bucket) (any, error) {
			return nil, sb.Estate.PutBucketPolicy(bucket, c.Arg("policy"))
		})
	},
	"s3api delete-bucket-policy": func(sb *Sandbox, o *Outcome, caller estate.Caller, c *Command) {
		bucket := c.Arg("bucket")
		sb.bucketOp(o, caller, "s3:DeleteBucketPolicy", bucket, "DeleteBucketPolicy", func(*estate.Bucket) (any, error) {
			return nil, sb.Estate.DeleteBucketPolicy(bucket)
		})
	},
}

// bucketOp authorizes action on a bucket and then runs do. S3 answers
// NoSuchBucket before it looks at any policy.
func (sb *Sandbox) bucketOp(o *Outcome, caller estate.Caller, action, bucket, op string, do func(*estate.Bucket) (any, error)) {
	b := sb.bucket(bucket)
	if b == nil {
		o.fail(&estate.Error{Code: estate.CodeNoSuchBucket, Status: 404, Message: "The specified bucket does not exist"}, op)
		return
	}
	call := sb.call(caller)
	call.Region = b.Region
	sb.authorizeThen(o, sb.Estate.Authorize(call, action, estate.BucketARN(bucket)), op, func() (any, error) { return do(b) })
}

func (sb *Sandbox) bucket(name string) *estate.Bucket {
	for _, a := range sb.Estate.Accounts {
		if b := a.Buckets[name]; b != nil {
			return b
		}
	}
	return nil
}

// ParseEstate reads an estate file (the `estate` of a scenario, on its
// own) as a scenario with no steps, named after the file.
func ParseEstate(file string, src []byte) (*Scenario, error) {
	name := strings.TrimSuffix(strings.TrimSuffix(file[strings.LastIndexAny(file, `/\`)+1:], ".yaml"), ".yml")
	header := fmt.Sprintf("id: %q\ntitle: %q\ndifficulty: easy\ntopics: [estate]\nstory: An estate served from %q.\nestate:\n", name, name, file)
	offset := strings.Count(header, "\n")
	var b strings.Builder
	b.WriteString(header)
	for _, line := range strings.Split(string(src), "\n") {
		b.WriteString("  " + line + "\n")
	}
	s, ps := Parse(file, []byte(b.String()))
	if len(ps) > 0 {
		for i := range ps {
			if ps[i].Line > offset {
				ps[i].Line -= offset
			}
		}
		return nil, ps
	}
	return s, nil
}

// The IAM policy simulator, answered by the engine in AWS's response
// shape. Lists arrive as repeated options (--action-names a b), context
// entries one JSON object each.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulateCustomPolicy.html
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulatePrincipalPolicy.html
func init() {
	wireOps["iam simulate-custom-policy"] = func(sb *Sandbox, o *Outcome, caller estate.Caller, c *Command) {
		sb.simulate(o, caller, c, "SimulateCustomPolicy")
	}
	wireOps["iam simulate-principal-policy"] = func(sb *Sandbox, o *Outcome, caller estate.Caller, c *Command) {
		sb.simulate(o, caller, c, "SimulatePrincipalPolicy")
	}
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

func (sb *Sandbox) simulate(o *Outcome, caller estate.Caller, c *Command, op string) {
	action, resource := "iam:"+op, "*"
	if op == "SimulatePrincipalPolicy" {
		resource = c.Arg("policy-source-arn")
	}
	d := sb.Estate.Authorize(sb.call(caller), action, resource)
	o.Checks = append(o.Checks, d)
	if d.Err != nil {
		o.fail(d.Err, op)
		return
	}
	invalid := func(msg string) { o.fail(&estate.Error{Code: estate.CodeInvalidInput, Status: 400, Message: msg}, op) }
	// parse reads policy texts, failing the outcome on the first bad one.
	parse := func(option string) ([]*engine.Policy, bool) {
		var out []*engine.Policy
		for _, text := range c.Args[option] {
			p, err := engine.ParsePolicy([]byte(text))
			if err != nil {
				o.fail(&estate.Error{Code: estate.CodeMalformedPolicyDocument, Status: 400, Message: option + ": " + err.Error()}, op)
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
	resources := c.Args["resource-arns"]
	if len(resources) == 0 {
		resources = []string{"*"}
	}
	// base builds the request of one action and resource.
	var base func(action, resource string) (engine.Request, func(engine.StatementRef) simStatement)
	switch op {
	case "SimulateCustomPolicy":
		callerARN := c.Arg("caller-arn")
		if callerARN == "" {
			callerARN = d.Identity.ARN
		}
		base = func(action, resource string) (engine.Request, func(engine.StatementRef) simStatement) {
			req := engine.Request{Principal: &engine.Principal{ARN: callerARN, IdentityPolicies: inputs, PermissionsBoundary: boundary},
				Action: action, Resource: engine.Resource{ARN: resource, Account: accountOf(c.Arg("resource-owner")), Policy: resourcePolicy},
				Context: ctx, Time: sb.Clock.Now()}
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
		id, err := sb.simulatedIdentity(c.Arg("policy-source-arn"))
		if err != nil {
			invalid(err.Error())
			return
		}
		base = func(action, resource string) (engine.Request, func(engine.StatementRef) simStatement) {
			call := sb.call(caller)
			call.Context = ctx
			sim := sb.Estate.AuthorizeAs(id, call, action, resource)
			req := sim.Request
			// The simulator weighs only the resource policy it is given.
			req.Resource.Policy = resourcePolicy
			if req.Principal != nil {
				req.Principal.IdentityPolicies = append(req.Principal.IdentityPolicies, inputs...)
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
	for _, action := range c.Args["action-names"] {
		for _, res := range resources {
			req, ref := base(action, res)
			r := engine.Evaluate(req)
			out := simResult{EvalActionName: action, EvalResourceName: res, MatchedStatements: []simStatement{}, MissingContextValues: missingKeys(r.Trace)}
			switch r.Decision {
			case engine.Allow:
				out.EvalDecision = "allowed"
			case engine.ExplicitDeny:
				out.EvalDecision = "explicitDeny"
			default:
				out.EvalDecision = "implicitDeny"
			}
			for _, m := range r.Matched {
				out.MatchedStatements = append(out.MatchedStatements, ref(m))
			}
			results = append(results, out)
		}
	}
	if len(results) == 0 {
		invalid("ActionNames: at least one action is required")
		return
	}
	o.succeed(map[string]any{"EvaluationResults": results, "IsTruncated": false})
}

// simulatedIdentity is the principal a SimulatePrincipalPolicy call names:
// an IAM user, or a role as a session of it.
func (sb *Sandbox) simulatedIdentity(arn string) (*estate.Identity, error) {
	if acct, name, r := sb.Estate.RoleByARN(arn); r != nil {
		return &estate.Identity{Kind: estate.KindAssumedRole, Account: acct, ARN: estate.AssumedRoleARN(acct, name, "simulation"),
			UserID: r.ID + ":simulation", PrincipalARN: estate.RoleARN(acct, r.Path, name), RoleName: name, RolePath: r.Path,
			SessionName: "simulation"}, nil
	}
	id, err := sb.Estate.Resolve(estate.Caller{ARN: arn}, sb.Clock.Now())
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
