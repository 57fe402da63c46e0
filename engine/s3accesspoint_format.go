package engine

import "strings"

// decodeAccessPoint reads the optional accessPoint of an eval request:
// the S3 access point the request goes through, and its policy.
func (d *RequestDecoder) decodeAccessPoint(v *node) (*AccessPoint, error) {
	ap := &AccessPoint{}
	fields := []stringField{{"arn", &ap.ARN}, {"resource", &ap.Resource}, {"account", &ap.Account}, {"networkOrigin", &ap.NetworkOrigin}, {"vpc", &ap.VPC}}
	if err := d.decodeWithPolicy(v, "accessPoint", "arn, resource, account, networkOrigin, vpc and policy", fields, &ap.Policy); err != nil {
		return nil, err
	}
	parts, ok := splitARN(ap.ARN)
	if !ok || parts[2] != "s3" || !isAccountID(parts[4]) || !strings.HasPrefix(parts[5], "accesspoint/") || strings.Contains(parts[5][len("accesspoint/"):], "/") || len(parts[5]) == len("accesspoint/") {
		return nil, errAt(v, "accessPoint.arn", "must be an access point's ARN, such as \"arn:aws:s3:us-east-1:111122223333:accesspoint/analytics\"")
	}
	if ap.Resource != "" && ap.Resource != ap.ARN && !strings.HasPrefix(ap.Resource, ap.ARN+"/object/") {
		return nil, errAt(v, "accessPoint.resource", "must be the access point's ARN or ARN/object/KEY, such as %q", ap.ARN+"/object/reports/q1.csv")
	}
	if ap.Account != "" && ap.Account != parts[4] {
		return nil, errAt(v, "accessPoint.account", "must be the account in the access point's ARN, %s", parts[4])
	}
	switch ap.NetworkOrigin {
	case "", NetworkOriginInternet:
		if ap.VPC != "" {
			return nil, errAt(v, "accessPoint.vpc", "only an access point whose networkOrigin is \"VPC\" names a VPC")
		}
	case NetworkOriginVPC:
		if !strings.HasPrefix(ap.VPC, "vpc-") {
			return nil, errAt(v, "accessPoint.vpc", "must be the VPC ID of a VPC access point, such as \"vpc-0aa11bb2\"")
		}
	default:
		return nil, errAt(v, "accessPoint.networkOrigin", "must be \"Internet\" or \"VPC\", not %q", ap.NetworkOrigin)
	}
	return ap, nil
}
