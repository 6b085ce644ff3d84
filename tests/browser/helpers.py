"""Steps the browser flows share."""
from playwright.sync_api import expect

from tests.factories import PASSWORD


def sign_in(page, email: str, password: str = PASSWORD) -> None:
    """Through the real sign-in form, as a person does; returns once the header shows the account."""
    page.goto("/login")
    form = page.locator("#login-form")
    form.locator("#email").fill(email)
    form.locator("#password").fill(password)
    form.locator("button[type=submit]").click()
    expect(page.locator(".nav-user a[href='/profile']")).to_be_visible()
