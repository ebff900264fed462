"""django-allauth adapter: what sign-up adds to the account allauth creates."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest

from . import services
from .models import User


class AccountAdapter(DefaultAccountAdapter):
    def authenticate(self, request: HttpRequest, **credentials: Any) -> Any:
        """django-axes reads the account name from the credentials'
        ``AXES_USERNAME_FORM_FIELD`` key; allauth calls it ``email``. Without this
        the lockout would be keyed on the address alone (one person's typos would
        lock everyone behind the same NAT) and case variants would evade it."""
        key = settings.AXES_USERNAME_FORM_FIELD
        login = credentials.get("email") or credentials.get("username")
        if login and key not in credentials:
            credentials[key] = str(login).strip().lower()
        return super().authenticate(request, **credentials)

    def save_user(
        self, request: HttpRequest, user: User, form: Any, commit: bool = True
    ) -> User:
        """Create the account and, in the same transaction, the stakeholder kind,
        the organisation (created or asked to join) and an official's pending city
        role: a failure leaves no half-made account behind."""
        from .forms import SignupForm

        if not commit or not isinstance(form, SignupForm):
            return super().save_user(request, user, form, commit=commit)
        with transaction.atomic():
            user = super().save_user(request, user, form, commit=True)
            services.user_signup_complete(user=user, **form.signup_data())
        return user
