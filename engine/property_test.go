package engine_test

import (
	"encoding/json"
	"strings"
	"testing"

	"iamlab/engine"
	"pgregory.net/rapid"
)

// Random requests over a small vocabulary, so that statements often match.
var (
	propActions   = []string{"s3:GetObject", "s3:PutObject", "s3:ListBucket", "ec2:RunInstances", "iam:PassRole", "sts:AssumeRole", "kms:Decrypt"}
	propPatterns  = []string{"*", "s3:*", "s3:Get*", "s3:?utObject", "ec2:*", "iam:PassRole", "sts:AssumeRole", "kms:*", "s3:GetObject"}
	propResources = []string{"*", "arn:aws:s3:::my-bucket/*", "arn:aws:s3:::my-bucket/home/${aws:username}/*", "arn:aws:iam::111122223333:role/RDS-*", "arn:aws:iam:::role/RDS-*", "arn:aws:kms:*:111122223333:key/*"}
	propTargets   = []string{"arn:aws:s3:::my-bucket/home/alice/a.txt", "arn:aws:s3:::my-bucket/x", "arn:aws:iam::111122223333:role/RDS-app", "arn:aws:kms:us-east-1:111122223333:key/k1", "arn:aws:s3:::other/y"}
	propCallers   = []string{"arn:aws:iam::111122223333:user/alice", "arn:aws:sts::111122223333:assumed-role/App/s1", "arn:aws:sts::111122223333:federated-user/fed", "arn:aws:iam::111122223333:root", "arn:aws:iam::444455556666:user/bob", ""}
	propPrincipal = []string{`"*"`, `{"AWS": "111122223333"}`, `{"AWS": "arn:aws:iam::111122223333:user/alice"}`, `{"AWS": "arn:aws:iam::111122223333:role/App"}`, `{"AWS": "arn:aws:iam::444455556666:root"}`}
	propConds     = []string{``, `, "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}`, `, "Condition": {"StringEquals": {"aws:username": "alice"}}`, `, "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}`}
)

func statementJSON(t *rapid.T, resourcePolicy bool, effect string) string {
	s := `{"Effect": "` + effect + `", "Action": "` + rapid.SampledFrom(propPatterns).Draw(t, "action") + `"`
	if resourcePolicy {
		s += `, "Principal": ` + rapid.SampledFrom(propPrincipal).Draw(t, "principal")
	}
	s += `, "Resource": "` + rapid.SampledFrom(propResources).Draw(t, "resource") + `"`
	return s + rapid.SampledFrom(propConds).Draw(t, "condition") + "}"
}

func policyJSON(t *rapid.T, resourcePolicy bool) string {
	n := rapid.IntRange(1, 3).Draw(t, "statements")
	parts := make([]string, n)
	for i := range parts {
		parts[i] = statementJSON(t, resourcePolicy, rapid.SampledFrom([]string{"Allow", "Allow", "Deny"}).Draw(t, "effect"))
	}
	return `{"Version": "2012-10-17", "Statement": [` + strings.Join(parts, ",") + `]}`
}

// requestJSON draws a request in the eval format; identity and resource
// policies are returned separately so properties can change them.
type propRequest struct {
	caller, action, resource string
	identity                 []string
	resourcePolicy           string
	boundary                 string
	scp                      string
	context                  string
}

func drawRequest(t *rapid.T) propRequest {
	r := propRequest{
		caller:   rapid.SampledFrom(propCallers).Draw(t, "caller"),
		action:   rapid.SampledFrom(propActions).Draw(t, "requested action"),
		resource: rapid.SampledFrom(propTargets).Draw(t, "target"),
		context:  rapid.SampledFrom([]string{`{}`, `{"aws:MultiFactorAuthPresent": "true", "aws:SourceIp": "203.0.113.9"}`, `{"aws:SourceIp": "198.51.100.1"}`}).Draw(t, "context"),
	}
	for i := rapid.IntRange(0, 3).Draw(t, "identity policies"); i > 0; i-- {
		r.identity = append(r.identity, policyJSON(t, false))
	}
	if rapid.Bool().Draw(t, "has resource policy") {
		r.resourcePolicy = policyJSON(t, true)
	}
	if rapid.IntRange(0, 3).Draw(t, "has boundary") == 0 {
		r.boundary = policyJSON(t, false)
	}
	if rapid.IntRange(0, 3).Draw(t, "has scp") == 0 {
		r.scp = policyJSON(t, false)
	}
	return r
}

func (r propRequest) json() string {
	var b strings.Builder
	b.WriteString("{")
	if r.caller != "" {
		b.WriteString(`"principal": {"arn": "` + r.caller + `", "identityPolicies": [` + strings.Join(r.identity, ",") + `]`)
		if r.boundary != "" {
			b.WriteString(`, "permissionsBoundary": ` + r.boundary)
		}
		b.WriteString("}, ")
	}
	if r.scp != "" {
		b.WriteString(`"organization": {"serviceControlPolicies": [[` + r.scp + `]]}, `)
	}
	b.WriteString(`"action": "` + r.action + `", "resource": {"arn": "` + r.resource + `", "account": "111122223333"`)
	if r.resourcePolicy != "" {
		b.WriteString(`, "policy": ` + r.resourcePolicy)
	}
	b.WriteString(`}, "context": ` + r.context + "}")
	return b.String()
}

func evalJSON(t *rapid.T, src string) engine.Result {
	req, err := engine.DecodeRequest([]byte(src))
	if err != nil {
		t.Fatalf("DecodeRequest(%s): %v", src, err)
	}
	req.Time = corpusClock
	return engine.Evaluate(req)
}

// Adding a statement that explicitly denies the request never yields Allow.
func TestPropertyExplicitDenyNeverAllows(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		r := drawRequest(t)
		deny := `{"Effect": "Deny", "Principal": "*", "Action": "` + r.action + `", "Resource": "*"}`
		if r.resourcePolicy == "" {
			r.resourcePolicy = `{"Version": "2012-10-17", "Statement": [` + deny + `]}`
		} else {
			r.resourcePolicy = strings.Replace(r.resourcePolicy, `"Statement": [`, `"Statement": [`+deny+",", 1)
		}
		if got := evalJSON(t, r.json()); got.Decision != engine.ExplicitDeny {
			t.Fatalf("with an explicit deny, Evaluate = %v (%s)", got.Decision, got.Reason())
		}
	})
}

// Reordering statements or policies never changes the decision.
func TestPropertyOrderDoesNotMatter(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		r := drawRequest(t)
		before := evalJSON(t, r.json()).Decision
		perm := rapid.Permutation(r.identity).Draw(t, "policy order")
		r.identity = perm
		for i, p := range r.identity {
			r.identity[i] = reverseStatements(p)
		}
		if r.resourcePolicy != "" {
			r.resourcePolicy = reverseStatements(r.resourcePolicy)
		}
		if after := evalJSON(t, r.json()).Decision; after != before {
			t.Fatalf("reordering changed %v to %v", before, after)
		}
	})
}

func reverseStatements(policy string) string {
	var doc struct {
		Version   string
		Statement []json.RawMessage
	}
	if err := json.Unmarshal([]byte(policy), &doc); err != nil {
		panic(err)
	}
	for i, j := 0, len(doc.Statement)-1; i < j; i, j = i+1, j-1 {
		doc.Statement[i], doc.Statement[j] = doc.Statement[j], doc.Statement[i]
	}
	out, _ := json.Marshal(doc)
	return string(out)
}

// Adding an Allow statement to an identity policy never turns Allow into a
// denial.
func TestPropertyMoreAllowNeverDenies(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		r := drawRequest(t)
		if r.caller == "" {
			return
		}
		before := evalJSON(t, r.json()).Decision
		r.identity = append(r.identity, `{"Version": "2012-10-17", "Statement": [`+statementJSON(t, false, "Allow")+`]}`)
		if after := evalJSON(t, r.json()).Decision; before == engine.Allow && after != engine.Allow {
			t.Fatalf("adding an Allow turned Allow into %v", after)
		}
	})
}

// An action's case never matters.
func TestPropertyActionCase(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		r := drawRequest(t)
		before := evalJSON(t, r.json()).Decision
		mode := rapid.IntRange(0, 2).Draw(t, "case")
		switch mode {
		case 0:
			r.action = strings.ToUpper(r.action)
		case 1:
			r.action = strings.ToLower(r.action)
		default:
			b := []byte(r.action)
			for i := range b {
				if rapid.Bool().Draw(t, "flip") {
					b[i] ^= 0x20 * byte(boolInt(b[i] >= 'a' && b[i] <= 'z' || b[i] >= 'A' && b[i] <= 'Z'))
				}
			}
			r.action = string(b)
		}
		if after := evalJSON(t, r.json()).Decision; after != before {
			t.Fatalf("action %s: case changed %v to %v", r.action, before, after)
		}
	})
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
