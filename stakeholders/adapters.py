"""django-allauth adapter: what sign-up adds to the account allauth creates."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.db import transaction
from django.http import HttpRequest

from . import services
from .models import User


class AccountAdapter(DefaultAccountAdapter):
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
