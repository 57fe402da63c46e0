package serve

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"iamlab/engine"
	"iamlab/engine/estate"
	"iamlab/scenarios"
	"iamlab/scenarios/awscli"
)

// response is an answer ready to write.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (r *response) write(w http.ResponseWriter, req *http.Request, reqID string) {
	h := w.Header()
	for k, v := range r.header {
		h[k] = v
	}
	h.Set("X-Amzn-Requestid", reqID)
	h.Set("X-Amz-Request-Id", reqID)
	if h.Get("Content-Length") == "" {
		h.Set("Content-Length", strconv.Itoa(len(r.body)))
	}
	w.WriteHeader(r.status)
	if req.Method != http.MethodHead {
		_, _ = w.Write(r.body)
	}
}

// XML namespaces of the Query services' responses.
var namespaces = map[string]string{
	"sts":       "https://sts.amazonaws.com/doc/2011-06-15/",
	"iam":       "https://iam.amazonaws.com/doc/2010-05-08/",
	"ec2":       "http://ec2.amazonaws.com/doc/2016-11-15/",
	"s3":        "http://s3.amazonaws.com/doc/2006-03-01/",
	"s3control": "http://awss3control.amazonaws.com/doc/2018-08-20/",
}

// errorResponse is the service's error document.
// Query: https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html
// EC2: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html
// S3: https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html
func errorResponse(w *wireRequest, status int, code, msg, reqID string) *response {
	if status == 0 {
		status = http.StatusBadRequest
	}
	var b bytes.Buffer
	h := http.Header{}
	switch w.proto {
	case protoJSON:
		h.Set("Content-Type", jsonContentType(w.service))
		h.Set("X-Amzn-Errortype", code)
		body := map[string]string{"__type": code}
		if msg != "" {
			body["message"] = msg
		}
		out, _ := json.Marshal(body)
		b.Write(out)
	case protoEC2:
		h.Set("Content-Type", "text/xml;charset=UTF-8")
		b.WriteString(xml.Header)
		b.WriteString("<Response><Errors><Error><Code>" + esc(code) + "</Code><Message>" + esc(msg) + "</Message></Error></Errors><RequestID>" + reqID + "</RequestID></Response>")
	case protoS3:
		h.Set("Content-Type", "application/xml")
		b.WriteString(xml.Header)
		b.WriteString("<Error><Code>" + esc(code) + "</Code><Message>" + esc(msg) + "</Message>")
		switch code {
		case estate.CodeNoSuchKey:
			b.WriteString("<Key>" + esc(w.key) + "</Key>")
		case estate.CodeNoSuchBucket, "NoSuchBucketPolicy":
			b.WriteString("<BucketName>" + esc(w.bucket) + "</BucketName>")
		}
		b.WriteString("<RequestId>" + reqID + "</RequestId><HostId>" + reqID + "</HostId></Error>")
	default:
		h.Set("Content-Type", "text/xml")
		kind := "Sender"
		if status >= 500 {
			kind = "Receiver"
		}
		ns := namespaces[w.service]
		if ns == "" {
			ns = namespaces["sts"]
		}
		b.WriteString(`<ErrorResponse xmlns="` + ns + `"><Error><Type>` + kind + "</Type><Code>" + esc(code) + "</Code><Message>" + esc(msg) + "</Message></Error><RequestId>" + reqID + "</RequestId></ErrorResponse>")
	}
	return &response{status: status, header: h, body: b.Bytes()}
}

func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// authFailure words an authentication failure as the request's service
// does: S3, the JSON services and EC2 each have their own codes.
func authFailure(w *wireRequest, e *authError) *wireError {
	s3 := w.proto == protoS3
	jsonp := w.proto == protoJSON
	switch e.kind {
	case authMissing:
		if jsonp {
			return badRequest("MissingAuthenticationTokenException", "Missing Authentication Token")
		}
		return &wireError{http.StatusForbidden, estate.CodeMissingAuthenticationToken, "Request is missing Authentication Token"}
	case authIncomplete:
		if s3 {
			return badRequest("AuthorizationHeaderMalformed", e.detail)
		}
		return badRequest("IncompleteSignature", e.detail)
	case authUnknownKey, authBadToken:
		// Only S3 tells an unknown key from a bad session token.
		switch {
		case s3 && e.kind == authUnknownKey:
			return &wireError{http.StatusForbidden, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records."}
		case s3:
			return badRequest("InvalidToken", "The provided token is malformed or otherwise invalid.")
		case jsonp:
			return badRequest("UnrecognizedClientException", "The security token included in the request is invalid.")
		case w.proto == protoEC2:
			return &wireError{http.StatusUnauthorized, "AuthFailure", "AWS was not able to validate the provided access credentials"}
		}
		return &wireError{http.StatusForbidden, estate.CodeInvalidClientTokenID, "The security token included in the request is invalid."}
	case authExpiredToken:
		switch {
		case s3:
			return badRequest(estate.CodeExpiredToken, "The provided token has expired.")
		case jsonp:
			return badRequest("ExpiredTokenException", "The security token included in the request is expired")
		}
		return badRequest(estate.CodeExpiredToken, "The security token included in the request is expired")
	case authPresignExpired:
		return &wireError{http.StatusForbidden, estate.CodeAccessDenied, "Request has expired"}
	case authHashMismatch:
		return badRequest("XAmzContentSHA256Mismatch", e.detail)
	case authSkewed:
		switch {
		case s3:
			return &wireError{http.StatusForbidden, "RequestTimeTooSkewed", "The difference between the request time and the current time is too large."}
		case jsonp:
			return badRequest("InvalidSignatureException", e.detail)
		case w.proto == protoEC2:
			return badRequest("RequestExpired", "Request has expired.")
		}
		return &wireError{http.StatusForbidden, "SignatureDoesNotMatch", e.detail}
	}
	switch {
	case s3:
		return &wireError{http.StatusForbidden, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your key and signing method."}
	case jsonp:
		return badRequest("InvalidSignatureException", "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.")
	case w.proto == protoEC2:
		return &wireError{http.StatusUnauthorized, "AuthFailure", "AWS was not able to validate the provided access credentials"}
	}
	return &wireError{http.StatusForbidden, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."}
}

// unknownOperation is AWS's answer to an operation the endpoint does not
// serve.
func unknownOperation(w *wireRequest) *wireError {
	switch w.proto {
	case protoJSON:
		return &wireError{http.StatusBadRequest, "UnknownOperationException", ""}
	case protoEC2:
		return badRequest("InvalidAction", "The action "+w.op+" is not valid for this web service.")
	case protoS3:
		return &wireError{http.StatusNotImplemented, "NotImplemented", "A header you provided implies functionality that is not implemented"}
	}
	version := map[string]string{"sts": "2011-06-15", "iam": "2010-05-08"}[w.service]
	return badRequest("InvalidAction", "Could not find operation "+w.op+" for version "+version)
}

// wireCode is the error code the client sees for a failed outcome.
func wireCode(w *wireRequest, o *scenarios.Outcome) string {
	if o.Code != "ParamValidation" && o.Code != "Error" {
		return o.Code
	}
	switch w.proto {
	case protoJSON:
		return "ValidationException"
	case protoEC2:
		return estate.CodeInvalidParameterValue
	case protoS3:
		return "InvalidArgument"
	}
	return estate.CodeValidationError
}

// encode writes an outcome in the request's wire format.
func (s *Server) encode(w *wireRequest, o *scenarios.Outcome, id *estate.Identity, reqID string) *response {
	if o.Code != "" {
		return errorResponse(w, o.Status, wireCode(w, o), awsMessage(o.Message), reqID)
	}
	switch w.proto {
	case protoJSON:
		h := http.Header{"Content-Type": {jsonContentType(w.service)}}
		return &response{status: http.StatusOK, header: h, body: []byte(o.Output)}
	case protoS3:
		return s.encodeS3(w, o, id)
	case protoEC2:
		return encodeEC2(w, o, id, reqID)
	}
	return queryResponse(w, o.Output, reqID)
}

// queryResponse wraps the output's members, converted from the CLI's JSON
// to XML, in OPResponse/OPResult.
func queryResponse(w *wireRequest, output string, reqID string) *response {
	var b bytes.Buffer
	b.WriteString(`<` + w.op + `Response xmlns="` + namespaces[w.service] + `">`)
	var inner bytes.Buffer
	jsonToXML(&inner, output, "member")
	if inner.Len() > 0 {
		b.WriteString("<" + w.op + "Result>")
		b.Write(inner.Bytes())
		b.WriteString("</" + w.op + "Result>")
	}
	b.WriteString("<ResponseMetadata><RequestId>" + reqID + "</RequestId></ResponseMetadata></" + w.op + "Response>")
	return &response{status: http.StatusOK, header: http.Header{"Content-Type": {"text/xml"}}, body: b.Bytes()}
}

// jsonToXML writes a JSON object's members as XML elements, lists as
// repeated <member> (or <item>) elements, as the Query protocol does.
// A policy document inside is written URL-encoded, as IAM returns it.
func jsonToXML(b *bytes.Buffer, src, listItem string) {
	// The raw text is walked, not decoded into maps, to keep the members'
	// order.
	if !json.Valid([]byte(src)) {
		return
	}
	writeXMLValue(b, json.RawMessage(src), listItem, "")
}

func writeXMLValue(b *bytes.Buffer, raw json.RawMessage, listItem, name string) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			if name == "Document" {
				compact := compactJSON(raw)
				b.WriteString(esc(url.QueryEscape(compact)))
				return
			}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return
				}
				k, _ := kt.(string)
				var member json.RawMessage
				if err := dec.Decode(&member); err != nil {
					return
				}
				if string(member) == "null" {
					continue
				}
				b.WriteString("<" + k + ">")
				writeXMLValue(b, member, listItem, k)
				b.WriteString("</" + k + ">")
			}
		case '[':
			for dec.More() {
				var item json.RawMessage
				if err := dec.Decode(&item); err != nil {
					return
				}
				b.WriteString("<" + listItem + ">")
				writeXMLValue(b, item, listItem, listItem)
				b.WriteString("</" + listItem + ">")
			}
		}
	case string:
		b.WriteString(esc(xmlTime(t)))
	case json.Number:
		b.WriteString(t.String())
	case bool:
		b.WriteString(strconv.FormatBool(t))
	}
}

func compactJSON(raw json.RawMessage) string {
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		return string(raw)
	}
	return b.String()
}

// xmlTime rewrites the CLI's timestamps (…+00:00) as the Query
// protocol's ISO 8601 (…Z).
func xmlTime(s string) string {
	if len(s) == 25 && strings.HasSuffix(s, "+00:00") && s[10] == 'T' {
		if _, err := time.Parse(time.RFC3339, s); err == nil {
			return s[:19] + "Z"
		}
	}
	return s
}

// S3.

func (s *Server) encodeS3(w *wireRequest, o *scenarios.Outcome, id *estate.Identity) *response {
	if r := encodeS3ACL(w, o); r != nil {
		return r
	}
	h := http.Header{}
	switch w.op {
	case "GetObject", "HeadObject":
		h.Set("Content-Type", "application/octet-stream")
		h.Set("ETag", `"`+awscli.ETag(o.Body)+`"`)
		h.Set("Last-Modified", s.sb.Scenario.Clock.UTC().Format(http.TimeFormat))
		h.Set("Accept-Ranges", "bytes")
		h.Set("Content-Length", strconv.Itoa(len(o.Body)))
		if w.op == "HeadObject" {
			return &response{status: http.StatusOK, header: h}
		}
		return &response{status: http.StatusOK, header: h, body: []byte(o.Body)}
	case "PutObject":
		h.Set("ETag", `"`+awscli.ETag(string(w.body))+`"`)
		return &response{status: http.StatusOK, header: h}
	case "DeleteObject", "DeleteBucketPolicy", "PutBucketPolicy", "PutBucketTagging":
		return &response{status: http.StatusNoContent, header: h}
	case "PutPublicAccessBlock", "PutAccessPointPolicy":
		return &response{status: http.StatusOK, header: h}
	case "DeleteAccessPointPolicy":
		return &response{status: http.StatusNoContent, header: h}
	case "CreateAccessPoint", "GetAccessPoint", "GetAccessPointPolicy":
		// S3 Control's results: the output's members under OPResult.
		var b bytes.Buffer
		b.WriteString("<" + w.op + `Result xmlns="` + namespaces["s3control"] + `">`)
		jsonToXML(&b, o.Output, "member")
		b.WriteString("</" + w.op + "Result>")
		return s3XML(b.String())
	case "GetPublicAccessBlock":
		var out struct{ PublicAccessBlockConfiguration map[string]bool }
		_ = json.Unmarshal([]byte(o.Output), &out)
		var b strings.Builder
		b.WriteString(`<PublicAccessBlockConfiguration xmlns="` + namespaces["s3"] + `">`)
		for _, k := range []string{"BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"} {
			b.WriteString("<" + k + ">" + strconv.FormatBool(out.PublicAccessBlockConfiguration[k]) + "</" + k + ">")
		}
		b.WriteString("</PublicAccessBlockConfiguration>")
		return s3XML(b.String())
	case "GetBucketPolicy":
		var out struct{ Policy string }
		_ = json.Unmarshal([]byte(o.Output), &out)
		h.Set("Content-Type", "application/json")
		return &response{status: http.StatusOK, header: h, body: []byte(out.Policy)}
	case "ListBuckets":
		var out struct {
			Owner   struct{ ID string }
			Buckets []struct{ Name, CreationDate string }
		}
		_ = json.Unmarshal([]byte(o.Output), &out)
		var b strings.Builder
		b.WriteString(`<ListAllMyBucketsResult xmlns="` + namespaces["s3"] + `"><Owner><ID>` + esc(out.Owner.ID) + "</ID></Owner><Buckets>")
		for _, bk := range out.Buckets {
			b.WriteString("<Bucket><Name>" + esc(bk.Name) + "</Name><CreationDate>" + esc(bk.CreationDate) + "</CreationDate></Bucket>")
		}
		b.WriteString("</Buckets></ListAllMyBucketsResult>")
		return s3XML(b.String())
	}
	// ListObjects and ListObjectsV2.
	var out struct {
		Contents []struct {
			Key, ETag string
			Size      int
		}
	}
	_ = json.Unmarshal([]byte(o.Output), &out)
	var b strings.Builder
	b.WriteString(`<ListBucketResult xmlns="` + namespaces["s3"] + `"><Name>` + esc(w.bucket) + "</Name><Prefix>" + esc(w.params.Get("prefix")) + "</Prefix>")
	if w.op == "ListObjectsV2" {
		b.WriteString("<KeyCount>" + strconv.Itoa(len(out.Contents)) + "</KeyCount>")
	} else {
		b.WriteString("<Marker></Marker>")
	}
	b.WriteString("<MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>")
	modified := s.sb.Scenario.Clock.UTC().Format("2006-01-02T15:04:05.000Z")
	for _, c := range out.Contents {
		b.WriteString("<Contents><Key>" + esc(c.Key) + "</Key><LastModified>" + modified + "</LastModified><ETag>" + esc(c.ETag) +
			"</ETag><Size>" + strconv.Itoa(c.Size) + "</Size><StorageClass>STANDARD</StorageClass></Contents>")
	}
	b.WriteString("</ListBucketResult>")
	return s3XML(b.String())
}

// s3XML is S3's answer with an XML document.
func s3XML(doc string) *response {
	return &response{status: http.StatusOK, header: http.Header{"Content-Type": {"application/xml"}}, body: []byte(xml.Header + doc)}
}

// EC2: lowerCamel element names, <item> lists, requestId first.

func encodeEC2(w *wireRequest, o *scenarios.Outcome, id *estate.Identity, reqID string) *response {
	var out struct {
		Instances    []ec2Instance
		Reservations []struct{ Instances []ec2Instance }
		// DisassociateIamInstanceProfile, DescribeIamInstanceProfileAssociations
		IamInstanceProfileAssociation  ec2Association
		IamInstanceProfileAssociations []ec2Association
	}
	_ = json.Unmarshal([]byte(o.Output), &out)
	account := ""
	if id != nil {
		account = id.Account
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString("<" + w.op + `Response xmlns="` + namespaces["ec2"] + `"><requestId>` + reqID + "</requestId>")
	switch w.op {
	case "RunInstances":
		b.WriteString("<reservationId>r-" + strings.TrimPrefix(firstID(out.Instances), "i-") + "</reservationId><ownerId>" + account + "</ownerId><groupSet/>")
		writeInstances(&b, out.Instances, account)
	case "DescribeInstances":
		b.WriteString("<reservationSet>")
		for _, r := range out.Reservations {
			b.WriteString("<item><reservationId>r-" + strings.TrimPrefix(firstID(r.Instances), "i-") + "</reservationId><ownerId>" + account + "</ownerId><groupSet/>")
			writeInstances(&b, r.Instances, account)
			b.WriteString("</item>")
		}
		b.WriteString("</reservationSet>")
	case "CreateTags":
		b.WriteString("<return>true</return>")
	case "DisassociateIamInstanceProfile":
		writeAssociation(&b, "iamInstanceProfileAssociation", out.IamInstanceProfileAssociation)
	case "DescribeIamInstanceProfileAssociations":
		b.WriteString("<iamInstanceProfileAssociationSet>")
		for _, a := range out.IamInstanceProfileAssociations {
			writeAssociation(&b, "item", a)
		}
		b.WriteString("</iamInstanceProfileAssociationSet>")
	}
	b.WriteString("</" + w.op + "Response>")
	return &response{status: http.StatusOK, header: http.Header{"Content-Type": {"text/xml;charset=UTF-8"}}, body: b.Bytes()}
}

type ec2Instance struct{ InstanceId, InstanceType, IamInstanceProfile string }

type ec2Association struct {
	AssociationId, InstanceId, State string
	IamInstanceProfile               struct{ Arn, Id string }
}

func writeAssociation(b *bytes.Buffer, tag string, a ec2Association) {
	b.WriteString("<" + tag + "><associationId>" + esc(a.AssociationId) + "</associationId><instanceId>" + esc(a.InstanceId) + "</instanceId>")
	if a.IamInstanceProfile.Arn != "" {
		b.WriteString("<iamInstanceProfile><arn>" + esc(a.IamInstanceProfile.Arn) + "</arn><id>" + esc(a.IamInstanceProfile.Id) + "</id></iamInstanceProfile>")
	}
	b.WriteString("<state>" + esc(a.State) + "</state></" + tag + ">")
}

func firstID(is []ec2Instance) string {
	if len(is) == 0 {
		return ""
	}
	return is[0].InstanceId
}

func writeInstances(b *bytes.Buffer, is []ec2Instance, account string) {
	b.WriteString("<instancesSet>")
	for _, in := range is {
		b.WriteString("<item><instanceId>" + esc(in.InstanceId) + "</instanceId><imageId>ami-0abcdef1234567890</imageId><instanceState><code>16</code><name>running</name></instanceState><instanceType>" + esc(in.InstanceType) + "</instanceType>")
		if in.IamInstanceProfile != "" {
			b.WriteString("<iamInstanceProfile><arn>" + esc(estate.InstanceProfileARN(account, "/", in.IamInstanceProfile)) + "</arn><id>" + awscli.AssociationID(in.InstanceId) + "</id></iamInstanceProfile>")
		}
		b.WriteString("</item>")
	}
	b.WriteString("</instancesSet>")
}

// decidingStep names the trace step that decided an authorization: the
// matched statement that allowed or explicitly denied it, or the policy
// type that failed to allow it and why its first statement missed.
func decidingStep(d *estate.Decision) string {
	r := &d.Result
	pick := func(effect engine.Effect, t engine.PolicyType, anyType bool) string {
		for _, m := range r.Matched {
			if m.Effect == effect && (anyType || m.Type == t) {
				return describeRef(d, m) + ": matched"
			}
		}
		return ""
	}
	switch r.Decision {
	case engine.Allow:
		for _, m := range r.Matched {
			if m.Effect == engine.EffectAllow && (m.Type == engine.IdentityPolicy || m.Type == engine.ResourcePolicy) {
				return describeRef(d, m) + ": matched"
			}
		}
		return pick(engine.EffectAllow, 0, true)
	case engine.ExplicitDeny:
		if s := pick(engine.EffectDeny, r.Denial, false); s != "" {
			return s
		}
	}
	for _, st := range engine.Failures(engine.OfType(r.Trace, r.Denial)) {
		ref := engine.StatementRef{Type: st.Type, Policy: st.Policy, Level: st.Level, Statement: st.Statement, Sid: st.Sid, Effect: st.Effect}
		return describeRef(d, ref) + ": " + st.Reason(d.Request.PolicyOf(st.Type, st.Policy))
	}
	return r.Denial.String() + ": no statement applies"
}

func describeRef(d *estate.Decision, m engine.StatementRef) string {
	return m.Type.String() + " " + d.Sources.Ref(m).String() + " " + engine.StatementName(m.Statement, m.Sid)
}

// jsonContentType is the JSON protocol version a service speaks:
// DynamoDB 1.0, KMS 1.1.
func jsonContentType(service string) string {
	if service == "dynamodb" {
		return "application/x-amz-json-1.0"
	}
	return "application/x-amz-json-1.1"
}
