from solution import fizzbuzz


def test_plain_number():
    assert fizzbuzz(7) == "7"


def test_three_and_five():
    assert (fizzbuzz(9), fizzbuzz(10)) == ("Fizz", "Buzz")


def test_both():
    assert fizzbuzz(15) == "FizzBuzz"
    assert fizzbuzz(0) == "FizzBuzz"
