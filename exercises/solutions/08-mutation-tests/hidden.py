"""Hidden cases of 08-mutation-tests: hand-written buggy versions of discount."""

# Bugs a thorough suite catches although no
# single-operator mutant makes them.
BUGS = {
    "clamps the percent instead of rejecting it": """def discount(price, percent):
    if price < 0:
        raise ValueError("price must not be negative")
    percent = min(max(percent, 0), 100)
    return round(price - price * percent / 100, 2)
""",
    "accepts a negative price": """def discount(price, percent):
    if not 0 <= percent <= 100:
        raise ValueError("percent must be between 0 and 100")
    return round(price * (100 - percent) / 100, 2)
""",
}
