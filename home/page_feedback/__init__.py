"""这个页面有用吗？ — residents say whether a service or notice page helped (GOV.UK's
pattern): yes or no and an optional comment, without personal data.

The form on the page carries no CSRF token, so the page stays in the page cache: it is
a GET form to :func:`views.answer`, which shows a small uncached page with the real,
CSRF-protected POST form (the answer chosen, a comment box). ``page-feedback.js`` does
the same in place: it fetches a token, posts, and thanks the resident. Comments are
stored only after ``portal.personal_data`` has masked phones, ID numbers, names and the
like; answers are throttled per network (``portal.abuse.check_rate``). Staff read the
pages with the highest share of 没有帮助 (``selectors.worst_pages``) in the admin.
"""
