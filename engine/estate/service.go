package estate

import (
	"strings"

	"iamlab/engine"
)

// serviceIdentity is the caller of a request an AWS service makes with its
// own service principal (CloudTrail writing a log file, SNS sending to a
// queue), on behalf of the resource named by SourceARN.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
func serviceIdentity(c Caller) (*Identity, error) {
	if !strings.HasSuffix(c.Service, ".amazonaws.com") || strings.ContainsAny(c.Service, " /:") {
		return nil, ValidationError("a service principal is written like cloudtrail.amazonaws.com, not " + c.Service)
	}
	if c.SourceAccount != "" && !isAccountID(c.SourceAccount) {
		return nil, ValidationError("source-account must be a 12-digit account ID, not " + c.SourceAccount)
	}
	if c.SourceARN != "" {
		if _, ok := splitARN(c.SourceARN); !ok || !strings.HasPrefix(c.SourceARN, "arn:") {
			return nil, ValidationError("source-arn must be an ARN, not " + c.SourceARN)
		}
	}
	return &Identity{Kind: KindService, ARN: c.Service, SourceARN: c.SourceARN, SourceAccount: c.SourceAccount}, nil
}

// addServiceKeys adds the keys of a request made by a service principal
// or through a forward access session.
//
// A service principal's request carries aws:SourceArn and aws:SourceAccount
// (the resource and account it acts for) and, when that account is in the
// organization, aws:SourceOrgID and aws:SourceOrgPaths; the engine adds
// aws:PrincipalIsAWSService and aws:PrincipalServiceName. A resource
// policy that names the service without testing these keys lets any
// account's resource use the service against it: the confused deputy.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
//
// A request a service makes with the caller's own credentials (a forward
// access session) carries aws:ViaAWSService true and the services in
// aws:CalledVia, aws:CalledViaFirst and aws:CalledViaLast.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_forward_access_sessions.html
func (e *Estate) addServiceKeys(ctx engine.Context, id *Identity, c *Call) {
	if id.Kind == KindService {
		if id.SourceARN != "" {
			ctx.Set("aws:SourceArn", id.SourceARN)
		}
		acct := id.SourceAccount
		if acct == "" && id.SourceARN != "" {
			if parts, ok := splitARN(id.SourceARN); ok && isAccountID(parts[4]) {
				acct = parts[4]
			}
		}
		if acct != "" {
			ctx.Set("aws:SourceAccount", acct)
			if o := e.Organization; o != nil && o.member(acct) {
				ctx.Set("aws:SourceOrgID", o.ID)
				if p := o.orgPath(acct); p != "" {
					ctx.Set("aws:SourceOrgPaths", p)
				}
			}
		}
	}
	if (c.Forwarded || len(c.CalledVia) > 0) && iamPrincipal(id.Kind) {
		ctx.Set("aws:ViaAWSService", "true")
	}
	if len(c.CalledVia) > 0 && iamPrincipal(id.Kind) {
		ctx.Set("aws:CalledVia", c.CalledVia...)
		ctx.Set("aws:CalledViaFirst", c.CalledVia[0])
		ctx.Set("aws:CalledViaLast", c.CalledVia[len(c.CalledVia)-1])
	}
}
