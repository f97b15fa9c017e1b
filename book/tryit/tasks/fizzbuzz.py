def fizzbuzz(n: int) -> str:
    """ "Fizz" for multiples of 3, "Buzz" for 5, "FizzBuzz" for both, else the number as text."""
    raise NotImplementedError
