import re

from codegen_hero.exercises.tokens import approx_tokens

FRAME = re.compile(r'File "(?P<file>[^"]+)", line (?P<line>\d+), in (?P<func>\S+)')


def build_debug_prompt(traceback_text: str, sources: dict[str, str], budget_tokens: int) -> str:
    error = traceback_text.strip().splitlines()[-1]
    head = f"Why does this Python code raise the error below, and how do I fix it?\n\n{error}\n"
    pieces = [head]
    frames = []
    for match in FRAME.finditer(traceback_text):
        lines = sources.get(match["file"], "").splitlines()
        number = int(match["line"])
        if 1 <= number <= len(lines):
            frames.append(
                f"{match['file']}, line {number}, in {match['func']}:\n"
                f"    {lines[number - 1].strip()}\n"
            )
    for frame in reversed(frames):  # innermost first: it matters most
        if approx_tokens("".join(pieces) + frame) <= budget_tokens:
            pieces.append(frame)
    return "".join(pieces)
