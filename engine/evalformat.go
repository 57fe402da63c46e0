package engine

import (
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"
)

// The `iamlab eval` request and result format, which tools outside the app
// rely on: shared/eval-request.md.

// DecodeRequest parses one evaluation request. Every error is an
// *InputError naming the JSON path and the line and column, such as
// `principal.identityPolicies[1].Statement[0].Effect: must be "Allow" or "Deny"`.
// Request.Time is set from context aws:CurrentTime when given; otherwise
// the caller supplies the clock.
func DecodeRequest(src []byte) (Request, error) {
	req, _, err := (*RequestDecoder)(nil).decode(string(src), 0)
	return req, err
}

// RequestDecoder decodes requests as DecodeRequest does, and keeps the
// policies it has parsed, keyed by their exact text: a batch of requests
// that repeat the same policies parses each text once. It is safe for
// concurrent use. The policies it returns are shared between requests and
// must not be changed; their positions count from the start of each
// policy's own text, not of the request.
type RequestDecoder struct {
	policies sync.Map // policy text -> *Policy
	bytes    atomic.Int64
	maxBytes int64
	// keys maps context keys as written to lower case: the same few keys
	// come in every request, and lowering each anew was a third of all
	// allocations in a --jsonl run.
	keys  sync.Map
	nkeys atomic.Int64
}

// maxKeys bounds the context keys a RequestDecoder remembers.
const maxKeys = 4096

// lowerKey is strings.ToLower, remembered for the decoder's keys.
func (d *RequestDecoder) lowerKey(key string) string {
	if d == nil {
		return strings.ToLower(key)
	}
	if lower, ok := d.keys.Load(key); ok {
		return lower.(string)
	}
	if d.nkeys.Load() >= maxKeys {
		return strings.ToLower(key)
	}
	key = strings.Clone(key) // the request's buffer is not kept
	lower := strings.ToLower(key)
	if _, loaded := d.keys.LoadOrStore(key, lower); !loaded {
		d.nkeys.Add(1)
	}
	return lower
}

// NewRequestDecoder returns a decoder that keeps at most about maxBytes of
// policy text; when that fills up it forgets everything and starts again.
func NewRequestDecoder(maxBytes int) *RequestDecoder {
	return &RequestDecoder{maxBytes: int64(maxBytes)}
}

// Decode parses one request, with DecodeRequest's errors.
func (d *RequestDecoder) Decode(src []byte) (Request, error) {
	text := string(src)
	req, valuesLeft, err := d.decode(text, policyDepth)
	if err == nil {
		err = checkValues(&req, valuesLeft)
	}
	if err != nil {
		// A policy seen before is valid, so an error is rare: decode again
		// without the cache so the message names the place in the request.
		req, _, err = (*RequestDecoder)(nil).decode(text, 0)
	}
	return req, err
}

// MaxRequestValues bounds the JSON values in one request, so that a dense
// request (a list of a million numbers) cannot take seconds and hundreds of
// megabytes to hold. A request at AWS's policy size quotas holds about
// 1.2 MB of policy text, far fewer values than this.
const MaxRequestValues = 250_000

const tooManyValuesWhy = "a request at AWS's policy size quotas holds far fewer (see docs/eval-request.md)"

// policyDepth is how deep policies sit in a request: every object from
// this depth on is a policy document (principal.permissionsBoundary,
// resource.policy, vpcEndpoint.policy, and the items of the policy lists),
// but for the items of resource.kmsGrants, which decodeGrants parses.
const policyDepth = 2

// decode parses a request. With rawFrom set, the policies are left as raw
// text for d to look up.
func (d *RequestDecoder) decode(src string, rawFrom int) (req Request, valuesLeft int, err error) {
	root, parser, err := parseJSONText(src, rawFrom, MaxRequestValues)
	if err != nil {
		return req, 0, err
	}
	defer parser.release()
	valuesLeft = parser.valuesLeft
	req, err = d.decodeRoot(root, &valuesLeft)
	return req, valuesLeft, err
}

// decodeRoot decodes the parsed request; valuesLeft is the parse's value
// budget, which the grants' own parse draws on (see decodeGrants).
func (d *RequestDecoder) decodeRoot(root *node, valuesLeft *int) (Request, error) {
	var req Request
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
			p, err := d.decodePrincipal(v)
			if err != nil {
				return req, err
			}
			req.Principal = p
		case "organization":
			if v.kind == nodeNull {
				continue
			}
			if err := d.decodeOrganization(v, &req.Organization); err != nil {
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
			if err := d.decodeResource(v, &req.Resource, &grants, valuesLeft); err != nil {
				return req, err
			}
			if grants != nil {
				if req.KMS == nil {
					req.KMS = &KMSRequest{}
				}
				req.KMS.Grants = grants
			}
			haveResource = true
		case "vpcEndpoint":
			if v.kind == nodeNull {
				continue
			}
			e, err := d.decodeVPCEndpoint(v)
			if err != nil {
				return req, err
			}
			req.VPCEndpoint = e
		case "context":
			if v.kind == nodeNull {
				continue
			}
			ctx, err := d.decodeContext(v)
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
		case "accessPoint":
			if v.kind == nodeNull {
				continue
			}
			ap, err := d.decodeAccessPoint(v)
			if err != nil {
				return req, err
			}
			req.AccessPoint = ap
		default:
			return req, &InputError{Path: m.key, Pos: m.keyPos, Problem: "unknown field: a request has principal, organization, action, resource, context, vpcEndpoint, encryptionContext, s3 and accessPoint"}
		}
	}
	if !haveAction {
		return req, errAt(root, "action", "missing: the request needs an action such as \"s3:GetObject\"")
	}
	if !haveResource {
		return req, errAt(root, "resource", "missing: the request needs a resource with at least an arn (\"*\" for actions without one)")
	}
	if err := finishS3ACLs(&req); err != nil {
		return req, err
	}
	if vals, ok := req.Context["aws:currenttime"]; ok && len(vals) == 1 {
		if t, ok := parseDate(vals[0]); ok {
			req.Time = t
		}
	}
	return req, nil
}

func (d *RequestDecoder) decodePrincipal(v *node) (*Principal, error) {
	if v.kind != nodeObject {
		return nil, errAt(v, "principal", "must be an object with an arn, or null for an anonymous request, not %s", v.kind)
	}
	p := &Principal{}
	haveARN := false
	for _, m := range v.members {
		path := func() string { return "principal." + m.key }
		switch m.key {
		case "arn":
			if m.value.kind != nodeString {
				return nil, errAt(m.value, path(), "must be a string, not %s", m.value.kind)
			}
			if _, problem := parseCaller(m.value.str); problem != "" {
				return nil, errAt(m.value, path(), "%s", problem)
			}
			p.ARN, haveARN = m.value.str, true
		case "identityPolicies", "sessionPolicies":
			ps, err := d.decodePolicyList(m.value, path)
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
			pol, err := d.decodePolicy(m.value, path)
			if err != nil {
				return nil, err
			}
			p.PermissionsBoundary = pol
		default:
			return nil, &InputError{Path: path(), Pos: m.keyPos, Problem: "unknown field: a principal has arn, identityPolicies, permissionsBoundary and sessionPolicies"}
		}
	}
	if !haveARN {
		return nil, errAt(v, "principal.arn", "missing: the principal needs an arn (leave principal out or null for an anonymous request)")
	}
	return p, nil
}

// Paths are built only for an error message: decoding stays allocation-lean.

func (d *RequestDecoder) decodePolicy(v *node, path func() string) (*Policy, error) {
	if v.raw {
		return d.policy(v.str)
	}
	p, err := policyFromNode(v)
	if err != nil {
		return nil, atPath(err, path())
	}
	return p, nil
}

func (d *RequestDecoder) decodePolicyList(v *node, path func() string) ([]*Policy, error) {
	if v.kind == nodeNull {
		return nil, nil
	}
	if v.kind != nodeArray {
		return nil, errAt(v, path(), "must be a list of policy documents, not %s", v.kind)
	}
	out := make([]*Policy, 0, len(v.items))
	for i, it := range v.items {
		p, err := d.decodePolicy(it, func() string { return path() + "[" + strconv.Itoa(i) + "]" })
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

func (d *RequestDecoder) decodeOrganization(v *node, org *Organization) error {
	if v.kind != nodeObject {
		return errAt(v, "organization", "must be an object with serviceControlPolicies and resourceControlPolicies, not %s", v.kind)
	}
	for _, m := range v.members {
		path := func() string { return "organization." + m.key }
		var dst *[][]*Policy
		switch m.key {
		case "serviceControlPolicies":
			dst = &org.SCPs
		case "resourceControlPolicies":
			dst = &org.RCPs
		default:
			return &InputError{Path: path(), Pos: m.keyPos, Problem: "unknown field: an organization has serviceControlPolicies and resourceControlPolicies"}
		}
		if m.value.kind == nodeNull {
			continue
		}
		if m.value.kind != nodeArray {
			return errAt(m.value, path(), "must be a list of levels, each a list of policy documents (root level first), not %s", m.value.kind)
		}
		for i, level := range m.value.items {
			lp := func() string { return path() + "[" + strconv.Itoa(i) + "]" }
			if level.kind != nodeArray {
				return errAt(level, lp(), "each level must be a list of policy documents, not %s", level.kind)
			}
			ps, err := d.decodePolicyList(level, lp)
			if err != nil {
				return err
			}
			*dst = append(*dst, ps)
		}
	}
	return nil
}

func (d *RequestDecoder) decodeResource(v *node, r *Resource, grants *[]Grant, valuesLeft *int) error {
	if v.kind != nodeObject {
		return errAt(v, "resource", "must be an object with arn, account and policy, not %s", v.kind)
	}
	haveARN := false
	for _, m := range v.members {
		path := func() string { return "resource." + m.key }
		switch m.key {
		case "arn":
			if m.value.kind != nodeString {
				return errAt(m.value, path(), "must be a string, not %s", m.value.kind)
			}
			s := m.value.str
			if s != "*" {
				if _, ok := splitARN(s); !ok || !strings.HasPrefix(s, "arn:") {
					return errAt(m.value, path(), "%q must be \"*\" or an ARN with six colon-separated parts (arn:partition:service:region:account:resource)", s)
				}
			}
			r.ARN, haveARN = s, true
		case "account":
			if m.value.kind == nodeNull {
				continue
			}
			if m.value.kind != nodeString || !isAccountID(m.value.str) {
				return errAt(m.value, path(), "must be a 12-digit account ID")
			}
			r.Account = m.value.str
		case "policy":
			if m.value.kind == nodeNull {
				continue
			}
			p, err := d.decodePolicy(m.value, path)
			if err != nil {
				return err
			}
			r.Policy = p
		case "kmsGrants":
			if m.value.kind == nodeNull {
				continue
			}
			g, err := decodeGrants(m.value, path(), valuesLeft)
			if err != nil {
				return err
			}
			*grants = g
		default:
			return &InputError{Path: path(), Pos: m.keyPos, Problem: "unknown field: a resource has arn, account, policy and kmsGrants"}
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

// checkValues fails when the request's policies, counted in full, take it
// past MaxRequestValues; valuesLeft is what its raw parse left, where each
// policy counted as one value.
func checkValues(req *Request, valuesLeft int) error {
	over := func(ps ...*Policy) bool {
		for _, p := range ps {
			if p != nil {
				valuesLeft -= p.values - 1
			}
		}
		return valuesLeft < 0
	}
	if pr := req.Principal; pr != nil && (over(pr.IdentityPolicies...) || over(pr.SessionPolicies...) || over(pr.PermissionsBoundary)) {
		return errTooManyValues
	}
	for _, levels := range [][][]*Policy{req.Organization.SCPs, req.Organization.RCPs} {
		for _, level := range levels {
			if over(level...) {
				return errTooManyValues
			}
		}
	}
	if over(req.Resource.Policy) {
		return errTooManyValues
	}
	if e := req.VPCEndpoint; e != nil && over(e.Policy) {
		return errTooManyValues
	}
	if ap := req.AccessPoint; ap != nil && over(ap.Policy) {
		return errTooManyValues
	}
	return nil
}

// errTooManyValues sends Decode to the uncached path, which names the place.
var errTooManyValues = &InputError{Problem: "too many JSON values"}

// policy returns the parsed policy for text, parsing it on first sight.
func (d *RequestDecoder) policy(text string) (*Policy, error) {
	if p, ok := d.policies.Load(text); ok {
		return p.(*Policy), nil
	}
	text = strings.Clone(text) // the request's buffer is not kept
	root, parser, err := parseJSONText(text, 0, MaxRequestValues)
	if err != nil {
		return nil, err
	}
	defer parser.release()
	p, err := policyFromNode(root)
	if err != nil {
		return nil, err
	}
	p.values = MaxRequestValues - parser.valuesLeft
	if d.bytes.Add(int64(len(text))) > d.maxBytes {
		d.policies.Clear()
		d.bytes.Store(int64(len(text)))
	}
	d.policies.Store(text, p)
	return p, nil
}

// decodeVPCEndpoint reads the optional vpcEndpoint of a request: the
// endpoint the request travels through and its policy.
func (d *RequestDecoder) decodeVPCEndpoint(v *node) (*VPCEndpoint, error) {
	e := &VPCEndpoint{}
	var typ string
	fields := []stringField{{"id", &e.ID}, {"vpc", &e.VPC}, {"sourceIp", &e.SourceIP}, {"type", &typ}}
	if err := d.decodeWithPolicy(v, "vpcEndpoint", "id, vpc, sourceIp, type and policy", fields, &e.Policy); err != nil {
		return nil, err
	}
	if !strings.HasPrefix(e.ID, "vpce-") {
		return nil, errAt(v, "vpcEndpoint.id", "must be the endpoint's ID, such as \"vpce-1a2b3c4d\"")
	}
	switch typ {
	case "", "Interface":
	case "Gateway":
		e.Gateway = true
	default:
		return nil, errAt(v, "vpcEndpoint.type", "must be \"Gateway\" or \"Interface\", not %q", typ)
	}
	return e, nil
}

// stringField is a string member of an object and where it goes.
type stringField struct {
	key string
	dst *string
}

// decodeWithPolicy reads an object of string fields and an optional
// "policy" (null for none), such as vpcEndpoint and accessPoint: name is
// its path, has lists its fields for the messages.
func (d *RequestDecoder) decodeWithPolicy(v *node, name, has string, fields []stringField, policy **Policy) error {
	if v.kind != nodeObject {
		return errAt(v, name, "must be an object with %s, not %s", has, v.kind)
	}
	for _, m := range v.members {
		path := name + "." + m.key
		if m.key == "policy" {
			if m.value.kind == nodeNull {
				continue
			}
			p, err := d.decodePolicy(m.value, func() string { return path })
			if err != nil {
				return err
			}
			*policy = p
			continue
		}
		var dst *string
		for _, f := range fields {
			if f.key == m.key {
				dst = f.dst
			}
		}
		if dst == nil {
			article := "a "
			if strings.IndexByte("aeiou", name[0]) >= 0 {
				article = "an "
			}
			return &InputError{Path: path, Pos: m.keyPos, Problem: "unknown field: " + article + name + " has " + has}
		}
		if m.value.kind != nodeString {
			return errAt(m.value, path, "must be a string, not %s", m.value.kind)
		}
		*dst = m.value.str
	}
	return nil
}

func (d *RequestDecoder) decodeContext(v *node) (Context, error) {
	if v.kind != nodeObject {
		return nil, errAt(v, "context", "must be an object of condition keys and values, not %s", v.kind)
	}
	// All values share one backing slice: one allocation, not one per key.
	total := 0
	for _, m := range v.members {
		total += max(1, len(m.value.items))
	}
	all := make([]string, 0, total)
	ctx := make(Context, len(v.members))
	for _, m := range v.members {
		path := func() string { return "context." + m.key }
		if !strings.Contains(m.key, ":") {
			return nil, &InputError{Path: path(), Pos: m.keyPos, Problem: "a condition key has a service prefix, such as aws:SourceIp"}
		}
		lower := d.lowerKey(m.key)
		if _, dup := ctx[lower]; dup {
			return nil, &InputError{Path: path(), Pos: m.keyPos, Problem: "the same key appears twice (keys match case-insensitively)"}
		}
		start := len(all)
		switch m.value.kind {
		case nodeString, nodeNumber, nodeBool:
			all = append(all, m.value.str)
		case nodeArray:
			for i, it := range m.value.items {
				switch it.kind {
				case nodeString, nodeNumber, nodeBool:
					all = append(all, it.str)
				default:
					return nil, errAt(it, path()+"["+strconv.Itoa(i)+"]", "must be a string, number or boolean, not %s", it.kind)
				}
			}
		default:
			return nil, errAt(m.value, path(), "must be a string, a list of strings, a number or a boolean, not %s", m.value.kind)
		}
		ctx[lower] = all[start:len(all):len(all)]
	}
	return ctx, nil
}

// MarshalJSON encodes the result in the `iamlab eval` result format. It
// writes the JSON itself, as encoding/json would write it (HTML-safe
// escapes included): results are written once per --jsonl line.
func (r Result) MarshalJSON() ([]byte, error) {
	reason := r.Reason()
	// Room for the usual result, and for the newline a --jsonl line adds.
	b := make([]byte, 0, 96+len(reason)+112*len(r.Matched))
	b = append(b, `{"decision":`...)
	b = appendJSONString(b, r.Decision.String())
	b = append(b, `,"reason":`...)
	b = appendJSONString(b, reason)
	b = append(b, `,"matchedStatements":[`...)
	for i, m := range r.Matched {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"policyType":`...)
		b = appendJSONString(b, m.Type.String())
		b = append(b, `,"policyIndex":`...)
		b = strconv.AppendInt(b, int64(m.Policy), 10)
		b = append(b, `,"statementIndex":`...)
		b = strconv.AppendInt(b, int64(m.Statement), 10)
		if m.Sid != "" {
			b = append(b, `,"sid":`...)
			b = appendJSONString(b, m.Sid)
		}
		b = append(b, `,"effect":`...)
		b = appendJSONString(b, m.Effect.String())
		b = append(b, '}')
	}
	return append(b, "]}"...), nil
}

// appendJSONString appends s as a JSON string with encoding/json's
// escapes: <, > and & as \u escapes, U+2028 and U+2029 escaped, invalid
// UTF-8 as U+FFFD.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
