"""Talking to a model about code: a conversation object and its Jupyter chat pane.

In a notebook cell:

    from codegen_hero.chat import Chat
    chat = Chat(system="You review Python code in three sentences.")
    chat.send("Why does range(0, len(xs) - 2, 2) drop the last pair?")
    chat.pane()  # go on talking in the notebook
"""

from codegen_hero.chat.conversation import Chat, Turn

__all__ = ["Chat", "ChatPane", "Turn"]


def __getattr__(name: str) -> object:
    if name == "ChatPane":  # ipywidgets is imported only when a pane is wanted
        from codegen_hero.chat.pane import ChatPane

        return ChatPane
    raise AttributeError(name)
