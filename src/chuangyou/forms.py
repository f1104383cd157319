"""Form plumbing shared by every app's forms."""

from typing import Any

from django import forms

from chuangyou.lib.errors import Invalid, ServiceError


def _style(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()


def _mark_errors(form: forms.BaseForm) -> None:
    for name in form.errors:
        if name in form.fields:
            widget = form.fields[name].widget
            widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"


class StyledForm(forms.Form):
    """Gives each widget its Bootstrap class and marks fields with errors, so templates stay plain."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)

    def full_clean(self) -> None:
        super().full_clean()
        _mark_errors(self)


class StyledModelForm(forms.ModelForm):  # type: ignore[type-arg]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)

    def full_clean(self) -> None:
        super().full_clean()
        _mark_errors(self)


def show_service_error(form: forms.BaseForm, exc: ServiceError, *, summary: bool = False) -> None:
    """Put a service's refusal on the form: on the fields it names, else above the form. With `summary`,
    the whole message goes above the form as well, for refusals whose field notes are terse ("必填。")."""
    placed = False
    if isinstance(exc, Invalid):
        for name, messages in exc.errors.items():
            if name in form.fields:
                for message in messages:
                    form.add_error(name, message)
                widget = form.fields[name].widget
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"
                placed = True
    if summary or not placed:
        form.add_error(None, exc.message)
