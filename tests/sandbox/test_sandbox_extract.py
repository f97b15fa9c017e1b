"""extract_code on the kinds of answers small models actually give."""

from __future__ import annotations

import ast
import textwrap

import pytest

from codegen_hero.sandbox import extract_code, strip_main_and_tests
from codegen_hero.sandbox.extract import fenced_blocks


def d(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def test_single_python_block_with_prose_around() -> None:
    answer = d(
        """
        Sure! Here's a function that checks whether a number is even:

        ```python
        def is_even(n):
            return n % 2 == 0
        ```

        This works because the remainder of an even number divided by 2 is 0.
        """
    )
    assert extract_code(answer) == "def is_even(n):\n    return n % 2 == 0"


@pytest.mark.parametrize("tag", ["python", "py", "Python", "python3", "py3", "{python}"])
def test_language_tag_spellings(tag: str) -> None:
    answer = f"Code:\n```{tag}\nx = 1\n```\n"
    assert extract_code(answer) == "x = 1"


def test_tag_with_a_title_or_filename() -> None:
    answer = '```python title="solution.py"\nx = 1\n```\n```python:helpers.py\ny = 2\n```'
    assert extract_code(answer) == "x = 1\n\ny = 2"


def test_untagged_fence_and_tildes() -> None:
    assert extract_code("Here:\n```\ndef f():\n    return 1\n```") == "def f():\n    return 1"
    assert extract_code("~~~python\nprint('hi')\n~~~\n") == "print('hi')"
    assert extract_code("~~~~\nA = 1\n~~~~") == "A = 1"


def test_unterminated_final_fence() -> None:
    answer = "Here you go:\n```python\ndef f(x):\n    return x * 2\n"
    assert extract_code(answer) == "def f(x):\n    return x * 2"


def test_tagged_block_preferred_over_untagged_output() -> None:
    answer = d(
        """
        ```python
        def square(x):
            return x * x

        print(square(4))
        ```
        Output:
        ```
        16
        ```
        """
    )
    assert extract_code(answer) == "def square(x):\n    return x * x\n\nprint(square(4))"


def test_shell_and_output_blocks_are_dropped() -> None:
    answer = d(
        """
        First install the dependency:

        ```bash
        pip install requests
        ```

        Then:

        ```
        pip install numpy
        ```

        ```python
        import json

        def load(path):
            with open(path) as f:
                return json.load(f)
        ```

        Run it with:

        ```
        $ python solution.py
        ```

        ```text
        {'a': 1}
        ```
        """
    )
    code = extract_code(answer)
    assert code.startswith("import json")
    assert "pip" not in code and "$ python" not in code and "{'a': 1}" not in code


def test_python_block_that_is_really_a_shell_command_is_dropped() -> None:
    answer = "```python\npip install numpy\n```\n```python\nimport numpy as np\n```"
    assert extract_code(answer) == "import numpy as np"


def test_definition_blocks_are_joined_and_usage_examples_dropped() -> None:
    answer = d(
        """
        We need a helper first:

        ```python
        import math

        def is_prime(n):
            if n < 2:
                return False
            return all(n % d for d in range(2, math.isqrt(n) + 1))
        ```

        Then the main function:

        ```python
        def primes_below(limit):
            return [n for n in range(limit) if is_prime(n)]
        ```

        Example usage:

        ```python
        print(primes_below(20))
        ```
        """
    )
    code = extract_code(answer)
    assert "def is_prime" in code and "def primes_below" in code
    assert "print(primes_below(20))" not in code
    ast.parse(code)
    namespace: dict = {}
    exec(compile(code, "<extracted>", "exec"), namespace)
    assert namespace["primes_below"](20) == [2, 3, 5, 7, 11, 13, 17, 19]


def test_revised_version_replaces_the_first_attempt() -> None:
    answer = d(
        """
        ```python
        def fib(n):
            if n < 2:
                return n
            return fib(n - 1) + fib(n - 2)
        ```

        That is slow. A faster version:

        ```python
        def fib(n):
            a, b = 0, 1
            for _ in range(n):
                a, b = b, a + b
            return a
        ```
        """
    )
    code = extract_code(answer)
    assert code.count("def fib") == 1
    assert "a, b = 0, 1" in code


def test_models_own_tests_block_is_dropped() -> None:
    answer = d(
        """
        ```python
        def add(a, b):
            return a + b
        ```

        And some tests:

        ```python
        import pytest
        from solution import add

        def test_add():
            assert add(1, 2) == 3
        ```
        """
    )
    assert extract_code(answer) == "def add(a, b):\n    return a + b"


def test_repl_session_becomes_code() -> None:
    answer = d(
        """
        ```python
        >>> def greet(name):
        ...     return f"Hello, {name}!"
        ...
        >>> greet("Ada")
        'Hello, Ada!'
        ```
        """
    )
    code = extract_code(answer)
    assert "def greet(name):" in code and "'Hello, Ada!'" not in code
    ast.parse(code)


def test_no_fences_whole_text_is_code() -> None:
    code = "def add(a, b):\n    return a + b\n\nprint(add(1, 2))"
    assert extract_code(code) == code


def test_no_fences_leading_and_trailing_prose_are_cut() -> None:
    answer = d(
        """
        Here is the solution to the problem.
        It uses a simple loop.
        def total(xs):
            result = 0
            for x in xs:
                result += x
            return result
        This runs in O(n) time.
        """
    )
    assert extract_code(answer) == d(
        """
        def total(xs):
            result = 0
            for x in xs:
                result += x
            return result
        """
    ).rstrip("\n")


def test_no_fences_note_that_parses_as_annotation_is_cut() -> None:
    answer = "def f():\n    return 1\nNote: this is O(1)"
    assert extract_code(answer) == "def f():\n    return 1"


def test_no_fences_markdown_indented_code() -> None:
    answer = "Here is my answer:\n\n    def same(x):\n        return x\n"
    assert extract_code(answer) == "def same(x):\n    return x"


def test_class_split_over_two_blocks_is_glued_back() -> None:
    answer = d(
        """
        ```python
        class Stack:
            def __init__(self):
                self.items = []
        ```
        And the push method:
        ```python
            def push(self, x):
                self.items.append(x)
        ```
        """
    )
    code = extract_code(answer)
    namespace: dict = {}
    exec(compile(code, "<extracted>", "exec"), namespace)
    stack = namespace["Stack"]()
    stack.push(1)
    assert stack.items == [1]


def test_pure_prose_gives_empty_string() -> None:
    assert extract_code("I'm sorry, I can't help with that.") == ""
    assert extract_code("Solution") == ""
    assert extract_code("") == ""


def test_indented_fence_inside_a_list() -> None:
    answer = "1. Define it:\n   ```python\n   def f():\n       return 3\n   ```\n2. Done."
    assert extract_code(answer) == "def f():\n    return 3"


def test_four_backtick_fence_may_contain_three_backticks() -> None:
    answer = '````python\ndoc = """\n```\nnot a fence\n```\n"""\n````'
    code = extract_code(answer)
    assert code.startswith('doc = """') and code.endswith('"""')
    ast.parse(code)


def test_untagged_code_used_when_the_tagged_block_is_only_a_command() -> None:
    answer = "```python\npip install numpy\n```\nThen:\n```\ndef f():\n    return 1\n```"
    assert extract_code(answer) == "def f():\n    return 1"


def test_only_shell_blocks_means_no_code() -> None:
    assert extract_code("```bash\npip install flask\n```") == ""


def test_javascript_blocks() -> None:
    answer = d(
        """
        ```javascript
        function add(a, b) {
          return a + b;
        }
        ```
        ```python
        def add(a, b): return a + b
        ```
        ```bash
        node solution.js
        ```
        """
    )
    assert extract_code(answer, "javascript") == "function add(a, b) {\n  return a + b;\n}"
    assert extract_code(answer, "js") == extract_code(answer, "javascript")
    assert extract_code(answer, "python") == "def add(a, b): return a + b"


def test_go_prefers_the_complete_program() -> None:
    answer = d(
        """
        The helper:
        ```go
        func add(a, b int) int { return a + b }
        ```
        The full program:
        ```go
        package main

        import "fmt"

        func add(a, b int) int { return a + b }

        func main() { fmt.Println(add(1, 2)) }
        ```
        """
    )
    code = extract_code(answer, "go")
    assert code.startswith("package main") and code.count("func add") == 1


def test_unfenced_javascript_skips_leading_prose() -> None:
    answer = "Here is the code:\nfunction f() {\n  return 1;\n}"
    assert extract_code(answer, "javascript") == "function f() {\n  return 1;\n}"


def test_fenced_blocks_reports_tags_and_bodies() -> None:
    blocks = fenced_blocks("```py\na\n```\ntext\n```\nb\n```")
    assert [(b.tag, b.body) for b in blocks] == [("py", "a"), ("", "b")]


def test_strip_main_and_tests() -> None:
    code = d(
        """
        import unittest

        def add(a, b):
            return a + b

        assert add(1, 1) == 2

        def test_add():
            assert add(2, 2) == 4

        class TestAdd(unittest.TestCase):
            def test_it(self):
                self.assertEqual(add(1, 2), 3)

        if __name__ == "__main__":
            print(add(int(input()), 2))
            unittest.main()
        """
    )
    stripped = strip_main_and_tests(code)
    assert "def add" in stripped and "import unittest" in stripped
    for gone in ("__main__", "assert add(1, 1)", "def test_add", "class TestAdd", "input()"):
        assert gone not in stripped
    ast.parse(stripped)


def test_strip_main_accepts_reversed_comparison_and_leaves_broken_code_alone() -> None:
    code = "x = 1\nif '__main__' == __name__:\n    print(x)\n"
    assert strip_main_and_tests(code) == "x = 1\n"
    broken = "def f(:\n    pass\n"
    assert strip_main_and_tests(broken) == broken
