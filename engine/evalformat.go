package engine

import (
	"encoding/json"
	"strconv"
	"strings"
)

// The `iamlab eval` request and result format, which tools outside the app
// rely on: shared/eval-request.md.

// DecodeRequest parses one evaluation request. Every error is an
// *InputError naming the JSON path and the line and column, such as
// `principal.identityPolicies[1].Statement[0].Effect: must be "Allow" or "Deny"`.
// Request.Time is set from context aws:CurrentTime when given; otherwise
// the caller supplies the clock.
func DecodeRequest(src []byte) (Request, error) {
	var req Request
	root, parser, err := parseJSON(src)
	if err != nil {
		return req, err
	}
	defer parser.release()
	if root.kind != nodeObject {
		return req, errAt(root, "", "a request must be a JSON object, not %s", root.kind)
	}
	var haveAction, haveResource bool
	for _, m := range root.members {
		v := m.value
		switch m.key {
		case "principal":
			if v.kind == nodeNull {
				continue
			}
			p, err := decodePrincipal(v)
			if err != nil {
				return req, err
			}
			req.Principal = p
		case "organization":
			if v.kind == nodeNull {
				continue
			}
			if err := decodeOrganization(v, &req.Organization); err != nil {
				return req, err
			}
		case "action":
			if v.kind != nodeString {
				return req, errAt(v, "action", "must be a string such as \"s3:GetObject\", not %s", v.kind)
			}
			prefix, name, ok := strings.Cut(v.str, ":")
			if !ok || prefix == "" || name == "" || strings.ContainsAny(v.str, "*? ") {
				return req, errAt(v, "action", "%q must be one action written service:Action, such as \"s3:GetObject\", with no wildcards", v.str)
			}
			req.Action, haveAction = v.str, true
		case "resource":
			var grants []Grant
			if err := decodeResource(v, &req.Resource, &grants); err != nil {
				return req, err
			}
			if grants != nil {
				if req.KMS == nil {
					req.KMS = &KMSRequest{}
				}
				req.KMS.Grants = grants
			}
			haveResource = true
		case "context":
			if v.kind == nodeNull {
				continue
			}
			ctx, err := decodeContext(v)
			if err != nil {
				return req, err
			}
			req.Context = ctx
		case "encryptionContext":
			if v.kind == nodeNull {
				continue
			}
			ec, err := decodeStringMap(v, "encryptionContext")
			if err != nil {
				return req, err
			}
			if req.KMS == nil {
				req.KMS = &KMSRequest{}
			}
			req.KMS.EncryptionContext = ec
		case "s3":
			if v.kind == nodeNull {
				continue
			}
			s3, err := decodeS3(v)
			if err != nil {
				return req, err
			}
			req.S3 = s3
		default:
			return req, &InputError{Path: m.key, Pos: m.keyPos, Problem: "unknown field: a request has principal, organization, action, resource, context, encryptionContext and s3"}
		}
	}
	if !haveAction {
		return req, errAt(root, "action", "missing: the request needs an action such as \"s3:GetObject\"")
	}
	if !haveResource {
		return req, errAt(root, "resource", "missing: the request needs a resource with at least an arn (\"*\" for actions without one)")
	}
	if vals, ok := req.Context["aws:currenttime"]; ok && len(vals) == 1 {
		if t, ok := parseDate(vals[0]); ok {
			req.Time = t
		}
	}
	return req, nil
}

func decodePrincipal(v *node) (*Principal, error) {
	if v.kind != nodeObject {
		return nil, errAt(v, "principal", "must be an object with an arn, or null for an anonymous request, not %s", v.kind)
	}
	p := &Principal{}
	haveARN := false
	for _, m := range v.members {
		path := "principal." + m.key
		switch m.key {
		case "arn":
			if m.value.kind != nodeString {
				return nil, errAt(m.value, path, "must be a string, not %s", m.value.kind)
			}
			if _, problem := parseCaller(m.value.str); problem != "" {
				return nil, errAt(m.value, path, "%s", problem)
			}
			p.ARN, haveARN = m.value.str, true
		case "identityPolicies", "sessionPolicies":
			ps, err := decodePolicyList(m.value, path)
			if err != nil {
				return nil, err
			}
			if m.key == "identityPolicies" {
				p.IdentityPolicies = ps
			} else {
				p.SessionPolicies = ps
			}
		case "permissionsBoundary":
			if m.value.kind == nodeNull {
				continue
			}
			pol, err := decodePolicy(m.value, path)
			if err != nil {
				return nil, err
			}
			p.PermissionsBoundary = pol
		default:
			return nil, &InputError{Path: path, Pos: m.keyPos, Problem: "unknown field: a principal has arn, identityPolicies, permissionsBoundary and sessionPolicies"}
		}
	}
	if !haveARN {
		return nil, errAt(v, "principal.arn", "missing: the principal needs an arn (leave principal out or null for an anonymous request)")
	}
	return p, nil
}

func decodePolicy(v *node, path string) (*Policy, error) {
	p, err := policyFromNode(v)
	if err != nil {
		return nil, atPath(err, path)
	}
	return p, nil
}

func decodePolicyList(v *node, path string) ([]*Policy, error) {
	if v.kind == nodeNull {
		return nil, nil
	}
	if v.kind != nodeArray {
		return nil, errAt(v, path, "must be a list of policy documents, not %s", v.kind)
	}
	out := make([]*Policy, 0, len(v.items))
	for i, it := range v.items {
		p, err := decodePolicy(it, path+"["+strconv.Itoa(i)+"]")
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

func decodeOrganization(v *node, org *Organization) error {
	if v.kind != nodeObject {
		return errAt(v, "organization", "must be an object with serviceControlPolicies and resourceControlPolicies, not %s", v.kind)
	}
	for _, m := range v.members {
		path := "organization." + m.key
		var dst *[][]*Policy
		switch m.key {
		case "serviceControlPolicies":
			dst = &org.SCPs
		case "resourceControlPolicies":
			dst = &org.RCPs
		default:
			return &InputError{Path: path, Pos: m.keyPos, Problem: "unknown field: an organization has serviceControlPolicies and resourceControlPolicies"}
		}
		if m.value.kind == nodeNull {
			continue
		}
		if m.value.kind != nodeArray {
			return errAt(m.value, path, "must be a list of levels, each a list of policy documents (root level first), not %s", m.value.kind)
		}
		for i, level := range m.value.items {
			lp := path + "[" + strconv.Itoa(i) + "]"
			if level.kind != nodeArray {
				return errAt(level, lp, "each level must be a list of policy documents, not %s", level.kind)
			}
			ps, err := decodePolicyList(level, lp)
			if err != nil {
				return err
			}
			*dst = append(*dst, ps)
		}
	}
	return nil
}

func decodeResource(v *node, r *Resource, grants *[]Grant) error {
	if v.kind != nodeObject {
		return errAt(v, "resource", "must be an object with arn, account and policy, not %s", v.kind)
	}
	haveARN := false
	for _, m := range v.members {
		path := "resource." + m.key
		switch m.key {
		case "arn":
			if m.value.kind != nodeString {
				return errAt(m.value, path, "must be a string, not %s", m.value.kind)
			}
			s := m.value.str
			if s != "*" {
				if _, ok := splitARN(s); !ok || !strings.HasPrefix(s, "arn:") {
					return errAt(m.value, path, "%q must be \"*\" or an ARN with six colon-separated parts (arn:partition:service:region:account:resource)", s)
				}
			}
			r.ARN, haveARN = s, true
		case "account":
			if m.value.kind == nodeNull {
				continue
			}
			if m.value.kind != nodeString || !isAccountID(m.value.str) {
				return errAt(m.value, path, "must be a 12-digit account ID")
			}
			r.Account = m.value.str
		case "policy":
			if m.value.kind == nodeNull {
				continue
			}
			p, err := decodePolicy(m.value, path)
			if err != nil {
				return err
			}
			r.Policy = p
		case "kmsGrants":
			if m.value.kind == nodeNull {
				continue
			}
			g, err := decodeGrants(m.value, path)
			if err != nil {
				return err
			}
			*grants = g
		default:
			return &InputError{Path: path, Pos: m.keyPos, Problem: "unknown field: a resource has arn, account, policy and kmsGrants"}
		}
	}
	if !haveARN {
		return errAt(v, "resource.arn", "missing: give the resource's ARN, or \"*\"")
	}
	if r.Account == "" {
		if parts, ok := splitARN(r.ARN); ok && isAccountID(parts[4]) {
			r.Account = parts[4]
		}
	}
	return nil
}

func decodeContext(v *node) (Context, error) {
	if v.kind != nodeObject {
		return nil, errAt(v, "context", "must be an object of condition keys and values, not %s", v.kind)
	}
	ctx := make(Context, len(v.members))
	for _, m := range v.members {
		path := "context." + m.key
		if !strings.Contains(m.key, ":") {
			return nil, &InputError{Path: path, Pos: m.keyPos, Problem: "a condition key has a service prefix, such as aws:SourceIp"}
		}
		lower := strings.ToLower(m.key)
		if _, dup := ctx[lower]; dup {
			return nil, &InputError{Path: path, Pos: m.keyPos, Problem: "the same key appears twice (keys match case-insensitively)"}
		}
		var vals []string
		switch m.value.kind {
		case nodeString, nodeNumber:
			vals = []string{m.value.str}
		case nodeBool:
			vals = []string{m.value.str}
		case nodeArray:
			vals = make([]string, 0, len(m.value.items))
			for i, it := range m.value.items {
				switch it.kind {
				case nodeString, nodeNumber:
					vals = append(vals, it.str)
				case nodeBool:
					vals = append(vals, it.str)
				default:
					return nil, errAt(it, path+"["+strconv.Itoa(i)+"]", "must be a string, number or boolean, not %s", it.kind)
				}
			}
		default:
			return nil, errAt(m.value, path, "must be a string, a list of strings, a number or a boolean, not %s", m.value.kind)
		}
		ctx[lower] = vals
	}
	return ctx, nil
}

// resultJSON is the wire form of a Result.
type resultJSON struct {
	Decision          Decision           `json:"decision"`
	Reason            string             `json:"reason"`
	MatchedStatements []statementRefJSON `json:"matchedStatements"`
}

type statementRefJSON struct {
	PolicyType     string `json:"policyType"`
	PolicyIndex    int    `json:"policyIndex"`
	StatementIndex int    `json:"statementIndex"`
	Sid            string `json:"sid,omitempty"`
	Effect         string `json:"effect"`
}

// MarshalJSON encodes the result in the `iamlab eval` result format.
func (r Result) MarshalJSON() ([]byte, error) {
	out := resultJSON{Decision: r.Decision, Reason: r.Reason(), MatchedStatements: make([]statementRefJSON, len(r.Matched))}
	for i, m := range r.Matched {
		out.MatchedStatements[i] = statementRefJSON{PolicyType: m.Type.String(), PolicyIndex: m.Policy, StatementIndex: m.Statement, Sid: m.Sid, Effect: m.Effect.String()}
	}
	return json.Marshal(out)
}
