"""Staff accounts: sign-in lock-out, password reset limits and the TOTP second factor.

Infrastructure like the rest of ``portal``: it imports no app. Which accounts must use a
second factor is a setting (``STAFF_OTP_REQUIRED_PERMISSIONS``, permission strings), so
the permission can belong to an app above without this package importing it.
"""
