# Your task: the prompt you will send the model, word for word. Choose something small you
# could write yourself in five minutes, name the function and its signature, and ask for one
# Python code block. (Not the one from the chapter: your own.)
TASK = None
