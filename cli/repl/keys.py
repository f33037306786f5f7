"""Key bindings. Ctrl-C never leaves: it clears the line being typed (and interrupts a running
search through SIGINT, handled by the loop); Ctrl-D on an empty line leaves. Page keys page
through results when the line is empty."""

from __future__ import annotations

from prompt_toolkit.filters import Condition
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent


def _empty_line() -> Condition:
    from prompt_toolkit.application.current import get_app

    return Condition(lambda: not get_app().current_buffer.text)


def key_bindings() -> KeyBindings:
    bindings = KeyBindings()

    @bindings.add("c-c")
    def _cancel_line(event: KeyPressEvent) -> None:
        # Ending the prompt with KeyboardInterrupt lets the loop start a fresh line; it never exits.
        event.app.exit(exception=KeyboardInterrupt, style="class:aborting")

    @bindings.add("pagedown", filter=_empty_line())
    @bindings.add("escape", "n", filter=_empty_line())
    def _next_page(event: KeyPressEvent) -> None:
        event.current_buffer.text = ":next"
        event.current_buffer.validate_and_handle()

    @bindings.add("pageup", filter=_empty_line())
    @bindings.add("escape", "p", filter=_empty_line())
    def _previous_page(event: KeyPressEvent) -> None:
        event.current_buffer.text = ":prev"
        event.current_buffer.validate_and_handle()

    return bindings
