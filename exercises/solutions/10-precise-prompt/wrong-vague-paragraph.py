# The request as people first write it: one friendly paragraph that leaves every decision
# (formats, return type, errors) to the reader, who will guess.
PROMPT = """
Please make a function to parse dates. It should handle the common formats people use,
like ISO dates, European dates, written-out months and so on, and give back a proper date
object. Make it robust and nice to use, and handle errors somehow if the input is weird.
Add some tests too.
"""
