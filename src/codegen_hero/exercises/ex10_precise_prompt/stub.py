# A markdown string, for example:
# PROMPT = """
# ## Inputs
# ...
# ## Acceptance criteria
# - ...
# """
PROMPT = None
