from .care import CARE_COOKIE


def care_mode(request):
    """Expose whether elder mode (关怀模式) is on, so the base template can style it."""
    return {"care_mode": request.COOKIES.get(CARE_COOKIE) == "1"}
