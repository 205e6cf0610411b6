"""REST input channel that also returns what the model understood.

Runs inside the Rasa server (Python 3.10). Like Rasa's REST channel, but the
reply carries the latest intent, its confidence, the FAQ selection and the form
that took the message as an answer (``form``, or null), so the
conversation core gets replies and understanding in one HTTP round trip. It
fails loudly (HTTP 500) instead of answering an empty list, and it never logs
message text.
"""

import logging
import time
from asyncio import CancelledError
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels import rasa_speedups
from tracker_stores.scrubbing import pop_understanding, turn_understanding

logger = logging.getLogger(__name__)
rasa_speedups.apply()


def _understanding(tracker: Any) -> Dict[Text, Any]:
    if tracker is None or tracker.latest_message is None:
        return {}
    return turn_understanding(tracker)


class WholeMessageCollector(CollectingOutputChannel):
    """Keeps each answer in one message (Rasa's collector splits text on blank lines)."""

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self._persist_message(self._message(recipient_id, text=text.strip()))


class ParticipaInput(InputChannel):
    """``POST /webhooks/participa/webhook`` with ``{"sender", "message", "metadata"}``."""

    @classmethod
    def name(cls) -> Text:
        return "participa"

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        hook = Blueprint("participa_webhook", __name__)

        @hook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            agent = request.app.ctx.agent
            ready = bool(agent and agent.is_ready())
            return response.json({"status": "ok" if ready else "loading"}, status=200 if ready else 503)

        @hook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            payload = request.json or {}
            sender = payload.get("sender")
            text = payload.get("message")
            metadata: Optional[Dict[Text, Any]] = payload.get("metadata")
            if not sender or text is None:
                return response.json({"error": "sender and message are required"}, status=400)
            collector = WholeMessageCollector()
            pop_understanding(sender)  # never report an earlier turn's intent
            started = time.perf_counter()
            try:
                await on_new_message(
                    UserMessage(text, collector, sender, input_channel=self.name(), metadata=metadata)
                )
            except CancelledError:
                logger.error("participa.message.timeout")
                return response.json({"error": "timeout"}, status=503)
            except Exception as exc:  # report the failure, never the text
                logger.error("participa.message.failure: %s", type(exc).__name__)
                return response.json({"error": type(exc).__name__}, status=500)
            body: Dict[Text, Any] = {"messages": collector.messages}
            understood = pop_understanding(sender)
            if understood is None:  # another tracker store is configured: read the conversation
                understood = _understanding(
                    await request.app.ctx.agent.tracker_store.retrieve(sender)
                )
            body.update(understood)
            # The turn's time inside Rasa (lock, tracker, model, actions): the caller tells it
            # apart from waiting for Rasa (benchmarks/telegram_throughput.py). No text, no sender.
            handled_ms = (time.perf_counter() - started) * 1000
            return response.json(body, headers={"Server-Timing": f"turn;dur={handled_ms:.1f}"})

        return hook
