"""Hidden case of 04-debug-prompt: a second program, so a prompt hard-coded for the first fails."""

SOURCES = {
    "shop/cart.py": (
        "from shop.prices import price_of\n\n\n"
        "def total(items):\n"
        "    return sum(price_of(sku) * qty for sku, qty in items)\n"
    ),
    "shop/prices.py": (
        'PRICES = {"apple": 0.5, "pear": 0.75}\n\n\n'
        "def price_of(sku):\n"
        "    return PRICES[sku.lower()]\n"
    ),
}
TRACEBACK = """Traceback (most recent call last):
  File "shop/cart.py", line 5, in total
    return sum(price_of(sku) * qty for sku, qty in items)
  File "shop/cart.py", line 5, in <genexpr>
    return sum(price_of(sku) * qty for sku, qty in items)
  File "shop/prices.py", line 5, in price_of
    return PRICES[sku.lower()]
KeyError: 'plum'
"""
