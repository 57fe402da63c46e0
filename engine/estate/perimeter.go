package estate

import (
	"strings"

	"iamlab/engine"
)

// orgPath is an account's path in the organization as AWS writes it in
// aws:PrincipalOrgPaths and aws:ResourceOrgPaths: the organization ID,
// the root ID and each OU ID from the root down, each followed by "/"
// (o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/). The management account sits
// in the root. "" when the account is not a member.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgpaths
func (o *Organization) orgPath(account string) string {
	if o == nil || o.Root == nil {
		return ""
	}
	if account == o.ManagementAccount {
		return o.ID + "/" + o.Root.ID + "/"
	}
	levels := o.path(account)
	if levels == nil {
		return ""
	}
	var b strings.Builder
	b.WriteString(o.ID)
	b.WriteByte('/')
	for _, l := range levels[:len(levels)-1] { // the last level is the account
		b.WriteString(l.id)
		b.WriteByte('/')
	}
	return b.String()
}

// addPerimeterKeys adds the organization keys of AWS's data-perimeter
// policies that the rest of the request context leaves out: the OU paths of
// the principal's account and of the resource's account. aws:ResourceOrgID
// and aws:PrincipalOrgID come with the request context; aws:ResourceAccount
// the engine derives from the resource.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourceorgpaths
func (e *Estate) addPerimeterKeys(ctx engine.Context, id *Identity, resAccount string) {
	o := e.Organization
	if o == nil {
		return
	}
	// Each orgPath walks the organization; the principal and the resource
	// are most often in one account, so walk it once.
	var resPath string
	if resAccount != "" {
		resPath = o.orgPath(resAccount)
		if resPath != "" {
			ctx.Set("aws:ResourceOrgPaths", resPath)
		}
	}
	if iamPrincipal(id.Kind) {
		p := resPath
		if id.Account != resAccount || resAccount == "" {
			p = o.orgPath(id.Account)
		}
		if p != "" {
			ctx.Set("aws:PrincipalOrgPaths", p)
		}
	}
}
