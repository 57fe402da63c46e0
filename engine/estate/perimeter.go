package estate

import "iamlab/engine"

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
	prefix := o.ID + "/" + o.Root.ID + "/"
	if account == o.ManagementAccount {
		return prefix
	}
	var walk func(u *OrgUnit, path string) string
	walk = func(u *OrgUnit, path string) string {
		if u == nil {
			return ""
		}
		if _, ok := u.Accounts[account]; ok {
			return path
		}
		for _, name := range sortedKeys(u.Units) {
			c := u.Units[name]
			if c == nil {
				continue
			}
			if p := walk(c, path+c.ID+"/"); p != "" {
				return p
			}
		}
		return ""
	}
	return walk(o.Root, prefix)
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
