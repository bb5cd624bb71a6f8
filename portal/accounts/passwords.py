"""Password policy pieces Django does not say in Chinese itself.

Django's zh-hans catalogue translates the similarity, common and numeric validators but
not the "too short" message of Django 5.x (its wording changed), so the minimum length
validator here only replaces that message.
"""

from django.contrib.auth import password_validation


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self):
        return f"密码太短，至少需要 {self.min_length} 个字符。"

    def get_help_text(self):
        return f"密码至少需要 {self.min_length} 个字符。"
