from frappe_support.portal import pages

no_cache = 1


def get_context(context):
	pages.issue(context)
