package engine

import "strings"

// S3 Block Public Access (issue 11, piece 4, in part): what makes a bucket
// policy "public", and RestrictPublicBuckets, which limits a public
// policy's grants to the bucket owner's account and AWS services.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html

// S3Request is what a request on an S3 bucket or object carries besides
// policies: the Block Public Access settings in force (the bucket's and
// its owner account's, combined, as S3 applies the most restrictive), and
// the ACL layer where the bucket keeps ACLs on.
type S3Request struct {
	RestrictPublicBuckets bool
	// ACLs is the ACL layer (s3acl.go); nil when ACLs are off.
	ACLs *S3ACLs
}

// fixedKeys are the condition keys whose fixed values make a statement
// that grants "*" non-public; aws:SourceIp with IP ranges does too.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status
var fixedKeys = []string{"aws:sourcearn", "aws:sourcevpc", "aws:sourcevpce", "aws:sourceowner", "aws:sourceaccount",
	"s3:x-amz-server-side-encryption-aws-kms-key-id", "aws:userid", "s3:dataaccesspointarn", "s3:dataaccesspointaccount"}

// PolicyIsPublic reports whether S3 considers a bucket policy public: some
// Allow statement grants a principal that is not fixed ("*", {"AWS":"*"},
// NotPrincipal), unless a condition pins it to fixed values of the keys S3
// lists or to IP ranges with aws:SourceIp.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status
func PolicyIsPublic(p *Policy) bool {
	if p == nil {
		return false
	}
	for i := range p.Statements {
		s := &p.Statements[i]
		if s.Effect != EffectAllow || !grantsAnyone(s) {
			continue
		}
		if !pinned(s) {
			return true
		}
	}
	return false
}

func grantsAnyone(s *Statement) bool {
	if s.NotPrincipal != nil {
		return true
	}
	if s.Principal == nil {
		return false
	}
	if s.Principal.Star {
		return true
	}
	for _, e := range s.Principal.Entries {
		if e.Kind == PrincipalAWS && e.Value == "*" {
			return true
		}
	}
	return false
}

// pinned: a condition limits the statement to fixed values of a key S3
// trusts. aws:userid in the form AROLEID:* (any session of a role) counts
// as fixed only outside that pattern, as S3 documents.
func pinned(s *Statement) bool {
	for _, c := range s.Conditions {
		op := strings.ToLower(c.Operator)
		if strings.HasPrefix(op, "forallvalues:") || strings.HasSuffix(op, "ifexists") || len(c.Values) == 0 {
			continue
		}
		if c.key == "aws:sourceip" && (op == "ipaddress" || op == "foranyvalue:ipaddress") {
			return true
		}
		fixedOp := op == "stringequals" || op == "arnequals" || op == "foranyvalue:stringequals"
		if !fixedOp || !containsFold(fixedKeys, c.key) {
			continue
		}
		fixed := true
		for _, v := range c.Values {
			if strings.ContainsAny(v.Text, "*?$") {
				fixed = false
			}
		}
		if fixed {
			return true
		}
	}
	return false
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// restrictPublic applies RestrictPublicBuckets to the resource policy's
// grant: with a public policy, only IAM principals of the bucket owner's
// account and AWS services keep what it grants. It records a step either
// way, so the trace shows the setting was in force.
func (ev *evaluator) restrictPublic(f *facts, resAccount string) {
	step := Step{Type: S3BlockPublicAccess, Sid: "RestrictPublicBuckets", Effect: EffectDeny}
	public := PolicyIsPublic(ev.req.Resource.Policy)
	inside := (f.iam && ev.who.account == resAccount) || ev.who.kind == kindService
	switch {
	case !public:
		step.Miss = Miss{Element: ElementRestrictPublicBuckets, Value: "the bucket policy is not public"}
	case inside:
		step.Miss = Miss{Element: ElementRestrictPublicBuckets, Value: "the caller is in the bucket owner's account or an AWS service"}
	default:
		step.Matched = true
		if f.resGrant != grantNone {
			f.resGrant = grantNone
			f.publicBlocked = true
		}
	}
	ev.res.Trace = append(ev.res.Trace, step)
}
