"""The LLM Codegen Hero's Journey: the package behind the book, its labs and exercises.

One obvious way to call a model::

    from codegen_hero import complete
    answer = complete("local/<model>", "Write is_even(n) in Python.")  # see `hero models`
    print(answer.text, answer.latency_s, answer.cost_usd)

And what an editor's autocomplete sends, the code around the cursor::

    from codegen_hero import fill_in_middle
    ghost = fill_in_middle("local/<model>", "def is_even(n):\n    ", "\n\nprint(is_even(4))")
"""

from codegen_hero.models.client import acomplete, complete, fill_in_middle, stream
from codegen_hero.models.errors import HeroError
from codegen_hero.models.request import Completion, Message, Request, Usage

__all__ = [
    "Completion",
    "HeroError",
    "Message",
    "Request",
    "Usage",
    "acomplete",
    "complete",
    "fill_in_middle",
    "stream",
]
__version__ = "0.1.0"
