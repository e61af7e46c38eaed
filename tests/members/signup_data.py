"""What a person types into the sign-up form, shared by the sign-up, age-line and robustness tests."""

PASSWORD = "a-Long-unusual-passphrase-42"


def signup_data(**overrides) -> dict:
    data = {
        "code": "",
        "display_name": "Casey",
        "email": "casey@example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "year_of_birth": "1990",
        "accept_guidelines": "on",
        "accept_privacy": "on",
    }
    data.update(overrides)
    return data
