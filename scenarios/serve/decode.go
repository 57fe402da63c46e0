package serve

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"maps"
	"mime"
	"net"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"iamlab/scenarios"
	"iamlab/scenarios/awscli"
)

// protocol is one of the wire protocols AWS services speak.
type protocol uint8

const (
	protoQuery protocol = iota + 1 // STS, IAM: form-encoded, XML answers
	protoEC2                       // EC2's Query dialect
	protoJSON                      // KMS, DynamoDB: JSON 1.1/1.0 with X-Amz-Target
	protoS3                        // S3 REST
)

// wireRequest is one API call as decoded from HTTP.
type wireRequest struct {
	proto   protocol
	service string // sts, iam, ec2, s3, kms, dynamodb
	op      string // the API operation name: AssumeRole, GetObject
	params  url.Values
	json    map[string]any
	bucket  string
	key     string
	account string // S3 Control's x-amz-account-id
	// accessPoint is the access point an S3 Control operation names.
	accessPoint string
	body        []byte
	sig         signature
	header      http.Header // S3's: x-amz-acl, x-amz-grant-* (s3acl.go)
}

// wireError is an error found before the request reaches the estate.
type wireError struct {
	status        int
	code, message string
}

func (e *wireError) Error() string { return e.code + ": " + e.message }

func badRequest(code, msg string) *wireError { return &wireError{http.StatusBadRequest, code, msg} }

// API versions of the Query services.
var queryVersions = map[string]string{"2011-06-15": "sts", "2010-05-08": "iam", "2016-11-15": "ec2"}

// jsonTargets are the X-Amz-Target prefixes of the JSON services.
var jsonTargets = map[string]string{"TrentService": "kms", "DynamoDB_20120810": "dynamodb"}

// decode reads which service and operation a request calls and its
// parameters. hosts are the endpoint's own host names, for
// virtual-hosted-style S3 requests (BUCKET.localhost).
func decode(r *http.Request, body []byte, sig signature, hosts []string) (*wireRequest, *wireError) {
	w := &wireRequest{body: body, sig: sig}
	if target := r.Header.Get("X-Amz-Target"); target != "" {
		return w, w.decodeJSON(r, target)
	}
	switch sig.service {
	case "sts", "iam", "ec2":
		return w, w.decodeQuery(r)
	case "s3":
		return w, w.decodeS3(r, hosts)
	case "kms", "dynamodb":
		w.proto, w.service = protoJSON, sig.service
		return w, &wireError{http.StatusBadRequest, "UnknownOperationException", ""}
	}
	if q := r.URL.Query(); q.Get("Action") != "" || queryVersions[q.Get("Version")] != "" || isForm(r) {
		return w, w.decodeQuery(r)
	}
	return w, w.decodeS3(r, hosts)
}

func isForm(r *http.Request) bool {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return r.Method == http.MethodPost && mt == "application/x-www-form-urlencoded"
}

func (w *wireRequest) decodeQuery(r *http.Request) *wireError {
	w.proto = protoQuery
	params := r.URL.Query()
	if r.Method == http.MethodPost && len(w.body) > 0 {
		if !isForm(r) {
			return badRequest("InvalidParameterValue", "The Content-Type of a Query request is application/x-www-form-urlencoded, not "+strconv.Quote(r.Header.Get("Content-Type")))
		}
		form, err := url.ParseQuery(string(w.body))
		if err != nil {
			return &wireError{http.StatusBadRequest, "MalformedQueryString", "The query string contains a syntax error: " + err.Error()}
		}
		for k, v := range form {
			params[k] = append(params[k], v...)
		}
	}
	w.params = params
	w.op = params.Get("Action")
	w.service = w.sig.service
	if w.service == "" {
		w.service = queryVersions[params.Get("Version")]
	}
	if w.service == "" {
		w.service = "sts"
	}
	if w.service == "ec2" {
		w.proto = protoEC2
	}
	if w.op == "" {
		return badRequest("MissingAction", "Missing Action")
	}
	return nil
}

func (w *wireRequest) decodeJSON(r *http.Request, target string) *wireError {
	w.proto = protoJSON
	prefix, op, _ := strings.Cut(target, ".")
	w.service, w.op = jsonTargets[prefix], op
	if w.service == "" || op == "" {
		w.service = w.sig.service
		return &wireError{http.StatusBadRequest, "UnknownOperationException", ""}
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "application/x-amz-json-1.1" && mt != "application/x-amz-json-1.0" && mt != "application/json" {
		return badRequest("SerializationException", "Content-Type "+strconv.Quote(r.Header.Get("Content-Type"))+" is not application/x-amz-json-1.1")
	}
	body := bytes.TrimSpace(w.body)
	if len(body) == 0 {
		body = []byte("{}")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&w.json); err != nil || w.json == nil {
		return badRequest("SerializationException", "the request body is not a JSON object")
	}
	if dec.More() {
		return badRequest("SerializationException", "the request body has data after its JSON object")
	}
	return nil
}

func (w *wireRequest) decodeS3(r *http.Request, hosts []string) *wireError {
	w.proto, w.service = protoS3, "s3"
	w.header = r.Header
	path := r.URL.Path
	for _, seg := range strings.Split(path, "/") {
		if seg == ".." || seg == "." {
			return badRequest("InvalidURI", "Couldn't parse the specified URI.")
		}
	}
	if b := virtualBucket(r.Host, hosts); b != "" {
		w.bucket, w.key = b, strings.TrimPrefix(path, "/")
	} else {
		w.bucket, w.key, _ = strings.Cut(strings.TrimPrefix(path, "/"), "/")
	}
	q := r.URL.Query()
	w.params = q
	if rest, ok := strings.CutPrefix(path, s3ControlPrefix); ok {
		// S3 Control: account settings and access points; the account is
		// a header. https://docs.aws.amazon.com/AmazonS3/latest/API/API_Operations_AWS_S3_Control.html
		w.service, w.bucket, w.key = "s3control", "", ""
		w.account = r.Header.Get("X-Amz-Account-Id")
		verb := s3Verbs[r.Method]
		name, policy := strings.CutSuffix(strings.TrimPrefix(rest, "accesspoint/"), "/policy")
		switch {
		case rest == "configuration/publicAccessBlock":
			w.op = verb + "PublicAccessBlock"
		case !strings.HasPrefix(rest, "accesspoint/") || name == "" || strings.Contains(name, "/"):
		case policy:
			w.op, w.accessPoint = verb+"AccessPointPolicy", name
		case verb == "Put":
			w.op, w.accessPoint = "CreateAccessPoint", name
		case verb != "":
			w.op, w.accessPoint = verb+"AccessPoint", name
		}
		return nil
	}
	w.op = s3Op(r, w.bucket, w.key, q)
	if isChunked(r) {
		body, err := decodeChunked(w.body)
		if err != nil {
			return badRequest("IncompleteBody", "The request body terminated unexpectedly")
		}
		w.body = body
	}
	return nil
}

// s3Verbs start the names of the operations that read, write and delete
// an S3 resource or sub-resource.
var s3Verbs = map[string]string{http.MethodGet: "Get", http.MethodPut: "Put", http.MethodDelete: "Delete"}

// s3Op names the S3 operation of a request by its method, bucket, key and
// sub-resource (?acl, ?policy, ...), "" for one the endpoint does not
// serve. https://docs.aws.amazon.com/AmazonS3/latest/API/API_Operations_Amazon_Simple_Storage_Service.html
func s3Op(r *http.Request, bucket, key string, q url.Values) string {
	verb := s3Verbs[r.Method]
	// ACLs and Object Ownership are read and written, never deleted.
	aclVerb := verb
	if r.Method == http.MethodDelete {
		aclVerb = ""
	}
	switch {
	case bucket == "":
		return "ListBuckets"
	case q.Has("acl") && aclVerb != "" && key != "":
		return aclVerb + "ObjectAcl"
	case q.Has("acl") && aclVerb != "":
		return aclVerb + "BucketAcl"
	case key != "":
		if q.Has("uploads") || q.Has("uploadId") || q.Has("tagging") || q.Has("acl") {
			return ""
		}
		switch r.Method {
		case http.MethodGet:
			return "GetObject"
		case http.MethodHead:
			return "HeadObject"
		case http.MethodPut:
			if r.Header.Get("X-Amz-Copy-Source") != "" {
				return "CopyObject"
			}
			return "PutObject"
		case http.MethodDelete:
			return "DeleteObject"
		}
	case q.Has("ownershipControls") && aclVerb != "":
		return aclVerb + "BucketOwnershipControls"
	case verb == "" && (q.Has("tagging") || q.Has("publicAccessBlock") || q.Has("policy")):
	case q.Has("tagging"):
		return verb + "BucketTagging"
	case q.Has("publicAccessBlock"):
		return verb + "PublicAccessBlock"
	case q.Has("policy"):
		return verb + "BucketPolicy"
	case r.Method == http.MethodGet && len(subresources(q)) == 0:
		if q.Get("list-type") != "2" {
			return "ListObjects"
		}
		return "ListObjectsV2"
	case r.Method == http.MethodHead && len(q) == 0:
		return "HeadBucket"
	}
	return ""
}

// s3ControlPrefix starts the paths of S3 Control's operations, as SDKs
// send them to an endpoint URL.
const s3ControlPrefix = "/v20180820/"

// listingParams are ListObjects' and ListObjectsV2's query parameters.
var listingParams = map[string]bool{"list-type": true, "prefix": true, "delimiter": true, "max-keys": true, "continuation-token": true,
	"start-after": true, "encoding-type": true, "fetch-owner": true, "marker": true}

// subresources are the query parameters that select a bucket
// sub-resource rather than filter a listing.
func subresources(q url.Values) []string {
	var out []string
	for k := range q {
		if !listingParams[k] && !strings.HasPrefix(k, "X-Amz-") && !strings.HasPrefix(k, "x-id") {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// virtualBucket returns the bucket of a virtual-hosted-style request
// (my-bucket.localhost:4566), or "".
func virtualBucket(host string, hosts []string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	if net.ParseIP(host) != nil {
		return ""
	}
	for _, base := range hosts {
		if b, ok := strings.CutSuffix(host, "."+base); ok && b != "" {
			return strings.TrimSuffix(b, ".s3")
		}
	}
	return ""
}

// isChunked reports an aws-chunked body, which SDKs send for streaming
// uploads with trailing checksums.
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
func isChunked(r *http.Request) bool {
	return strings.HasPrefix(r.Header.Get("X-Amz-Content-Sha256"), "STREAMING-") ||
		strings.Contains(r.Header.Get("Content-Encoding"), "aws-chunked")
}

// decodeChunked reads an aws-chunked body: `hex-size[;chunk-signature=..]`
// CRLF data CRLF, ending with a zero-size chunk and optional trailers.
func decodeChunked(b []byte) ([]byte, error) {
	var out []byte
	for {
		line, rest, ok := bytes.Cut(b, []byte("\r\n"))
		if !ok {
			return nil, errTruncated
		}
		sizeText, _, _ := bytes.Cut(line, []byte(";"))
		size, err := strconv.ParseInt(string(bytes.TrimSpace(sizeText)), 16, 64)
		if err != nil || size < 0 {
			return nil, errTruncated
		}
		if size == 0 {
			return out, nil
		}
		if int64(len(rest)) < size+2 {
			return nil, errTruncated
		}
		out = append(out, rest[:size]...)
		b = rest[size+2:]
	}
}

var errTruncated = &wireError{http.StatusBadRequest, "IncompleteBody", "The request body terminated unexpectedly"}

// command builds the sandbox console's command for a decoded request:
// the same service and operation names and options the AWS CLI uses.
func (w *wireRequest) command() (*scenarios.Command, *wireError) {
	c := &scenarios.Command{Args: map[string][]string{}}
	set := func(name, v string) {
		if v != "" {
			c.Args[name] = append(c.Args[name], v)
		}
	}
	switch w.proto {
	case protoS3:
		if w.service == "s3control" {
			c.Service, c.Operation = "s3control", kebab(w.op)
			w.s3ControlArgs(set)
			break
		}
		c.Service, c.Operation = "s3api", kebab(w.op)
		set("bucket", w.bucket)
		set("key", w.key)
		switch w.op {
		case "HeadObject":
			c.Operation = "get-object"
		case "ListObjects", "ListObjectsV2":
			c.Operation = "list-objects-v2"
			set("prefix", w.params.Get("prefix"))
		case "PutObject":
			set("body", string(w.body))
		case "PutBucketPolicy":
			set("policy", string(w.body))
		case "PutPublicAccessBlock":
			set("public-access-block-configuration", publicAccessBlockJSON(w.body))
		case "PutBucketTagging":
			set("tagging", taggingJSON(w.body))
		}
		if err := s3ACLArgs(w, set); err != nil {
			return nil, err
		}
	case protoJSON:
		c.Service, c.Operation = w.service, kebab(w.op)
		for k, v := range w.json {
			for _, arg := range jsonArgs(v) {
				set(kebab(k), arg)
			}
		}
	default:
		c.Service, c.Operation = w.service, kebab(w.op)
		w.queryArgs(c, set)
	}
	c.Line = "aws " + c.Service + " " + c.Operation
	spec := awscli.Lookup(c.Service, c.Operation)
	if spec == nil || spec.Run == nil {
		return c, unknownOperation(w)
	}
	for _, req := range spec.Required {
		if !c.Has(req) {
			return c, missingParam(w.proto, req)
		}
	}
	return c, nil
}

// s3ControlArgs adds the options of an S3 Control request: the account
// header, the access point name in the path, and the XML body's members.
func (w *wireRequest) s3ControlArgs(set func(name, v string)) {
	set("account-id", w.account)
	set("name", w.accessPoint)
	switch w.op {
	case "PutPublicAccessBlock":
		set("public-access-block-configuration", publicAccessBlockJSON(w.body))
	case "CreateAccessPoint":
		var req struct {
			Bucket string
			VpcID  string `xml:"VpcConfiguration>VpcId"`
		}
		_ = xml.Unmarshal(w.body, &req)
		set("bucket", req.Bucket)
		if req.VpcID != "" {
			set("vpc-configuration", "VpcId="+req.VpcID)
		}
	case "PutAccessPointPolicy":
		var req struct{ Policy string }
		_ = xml.Unmarshal(w.body, &req)
		set("policy", req.Policy)
	}
}

// jsonArgs turns one member of a JSON request into the CLI's option
// values: a string as it is; a list one value per item, an object item in
// the CLI's shorthand (KMS's Tags: TagKey=k,TagValue=v); an object (an
// encryption context, grant constraints, a DynamoDB key) as JSON.
func jsonArgs(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case json.Number:
		return []string{v.String()}
	case bool:
		return []string{strconv.FormatBool(v)}
	case []any:
		var out []string
		for _, item := range v {
			if m, ok := item.(map[string]any); ok {
				var kv []string
				for _, k := range slices.Sorted(maps.Keys(m)) {
					if s, ok := m[k].(string); ok {
						kv = append(kv, k+"="+s)
					}
				}
				out = append(out, strings.Join(kv, ","))
				continue
			}
			out = append(out, jsonArgs(item)...)
		}
		return out
	case map[string]any:
		b, _ := json.Marshal(v)
		return []string{string(b)}
	}
	return nil
}

// publicAccessBlockJSON turns S3's PublicAccessBlockConfiguration XML into
// the JSON the CLI's --public-access-block-configuration takes; a body
// that is not that XML is passed on for the command to refuse.
func publicAccessBlockJSON(body []byte) string {
	var cfg struct {
		BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets bool
	}
	if err := xml.Unmarshal(body, &cfg); err != nil {
		return string(body)
	}
	b, _ := json.Marshal(cfg)
	return string(b)
}

// taggingJSON turns S3's Tagging XML into the JSON put-bucket-tagging's
// --tagging takes.
func taggingJSON(body []byte) string {
	var t struct {
		TagSet []struct{ Key, Value string } `xml:"TagSet>Tag"`
	}
	if err := xml.Unmarshal(body, &t); err != nil {
		return string(body)
	}
	if t.TagSet == nil {
		t.TagSet = []struct{ Key, Value string }{}
	}
	b, _ := json.Marshal(t)
	return string(b)
}

// queryArgs turns Query parameters into the CLI's options: RoleArn is
// --role-arn, PolicyArns.member.1.arn is --policy-arns arn=..., and
// Tags.member.1.Key/Value is --tags Key=..,Value=...
func (w *wireRequest) queryArgs(c *scenarios.Command, set func(name, v string)) {
	// Structured members, by list name and member number.
	tags := map[int][2]string{}
	lists := map[string]map[int]string{}
	entries := map[int]*contextEntry{}
	for _, k := range slices.Sorted(maps.Keys(w.params)) {
		v := w.params.Get(k)
		name, n, field := member(k)
		if w.proto == protoEC2 && name == "" {
			name, n, field = ec2Member(k)
		}
		switch {
		case k == "Action" || k == "Version":
		case name == "PolicyArns" && field == "arn":
			set("policy-arns", "arn="+v)
		case (name == "Tags" || name == "Tag") && (field == "Key" || field == "Value"):
			t := tags[n]
			if field == "Key" {
				t[0] = v
			} else {
				t[1] = v
			}
			tags[n] = t
		case name == "ContextEntries":
			ce := entries[n]
			if ce == nil {
				ce = &contextEntry{}
				entries[n] = ce
			}
			switch {
			case field == "ContextKeyName":
				ce.ContextKeyName = v
			case field == "ContextKeyType":
				ce.ContextKeyType = v
			case strings.HasPrefix(field, "ContextKeyValues.member."):
				ce.ContextKeyValues = append(ce.ContextKeyValues, v)
			}
		case name != "" && field == "":
			if lists[name] == nil {
				lists[name] = map[int]string{}
			}
			lists[name][n] = v
		case k == "IamInstanceProfile.Name" || k == "IamInstanceProfile.Arn":
			set("iam-instance-profile", strings.TrimPrefix(k, "IamInstanceProfile.")+"="+v)
		case k == "DryRun" || k == "SetAsDefault":
			if v == "true" {
				set(kebab(k), "true")
			}
		case strings.Contains(k, "."):
			// structures the console does not take
		default:
			set(kebab(k), v)
		}
	}
	for _, n := range slices.Sorted(maps.Keys(tags)) {
		set("tags", "Key="+tags[n][0]+",Value="+tags[n][1])
	}
	for _, name := range slices.Sorted(maps.Keys(lists)) {
		option := kebab(name)
		if o, ok := ec2Lists[name]; ok && w.proto == protoEC2 {
			option = o
		}
		for _, n := range slices.Sorted(maps.Keys(lists[name])) {
			set(option, lists[name][n])
		}
	}
	for _, n := range slices.Sorted(maps.Keys(entries)) {
		b, _ := json.Marshal(entries[n])
		set("context-entries", string(b))
	}
}

// contextEntry is a simulator context entry, passed to the executor as
// one JSON object per entry.
type contextEntry struct {
	ContextKeyName   string
	ContextKeyValues []string
	ContextKeyType   string
}

// member splits a Query list parameter: Tags.member.2.Key is ("Tags", 2,
// "Key"); ActionNames.member.1 is ("ActionNames", 1, "").
func member(k string) (name string, n int, field string) { return listParam(k, ".member.") }

// ec2Lists are EC2's list parameters whose CLI option has another name.
var ec2Lists = map[string]string{"ResourceId": "resources", "InstanceId": "instance-ids", "AssociationId": "association-ids"}

// ec2Member splits an EC2 Query list parameter, which has no ".member.":
// ResourceId.1 is ("ResourceId", 1, ""), Tag.2.Value ("Tag", 2, "Value").
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/Query-Requests.html
func ec2Member(k string) (name string, n int, field string) { return listParam(k, ".") }

func listParam(k, sep string) (name string, n int, field string) {
	name, rest, ok := strings.Cut(k, sep)
	if !ok {
		return "", 0, ""
	}
	num, field, _ := strings.Cut(rest, ".")
	n, err := strconv.Atoi(num)
	if err != nil || n < 1 {
		return "", 0, ""
	}
	return name, n, field
}

// kebab turns an API name into the CLI's: AssumeRoleWithSAML is
// assume-role-with-saml, SAMLAssertion saml-assertion.
func kebab(name string) string {
	var b strings.Builder
	for i := 0; i < len(name); i++ {
		c := name[i]
		upper := c >= 'A' && c <= 'Z'
		if upper && i > 0 {
			prev := name[i-1]
			prevLower := (prev >= 'a' && prev <= 'z') || (prev >= '0' && prev <= '9')
			nextLower := i+1 < len(name) && name[i+1] >= 'a' && name[i+1] <= 'z'
			prevUpper := prev >= 'A' && prev <= 'Z'
			if prevLower || (prevUpper && nextLower) {
				b.WriteByte('-')
			}
		}
		if upper {
			c += 'a' - 'A'
		}
		b.WriteByte(c)
	}
	return b.String()
}

// missingParam is the service's error for a required parameter left out.
func missingParam(p protocol, option string) *wireError {
	member := camel(option)
	switch p {
	case protoEC2:
		return badRequest("MissingParameter", "The request must contain the parameter "+member)
	case protoJSON:
		return badRequest("ValidationException", "1 validation error detected: Value null at '"+lowerFirst(member)+"' failed to satisfy constraint: Member must not be null")
	case protoS3:
		return badRequest("InvalidRequest", "Missing required parameter "+member)
	}
	return badRequest("ValidationError", "1 validation error detected: Value null at '"+lowerFirst(member)+"' failed to satisfy constraint: Member must not be null")
}

func camel(option string) string {
	var b strings.Builder
	for _, part := range strings.Split(option, "-") {
		if part != "" {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String()
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}
