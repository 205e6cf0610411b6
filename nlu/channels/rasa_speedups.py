"""Runtime fixes for Rasa 3.6 hot spots, applied when the Rasa server loads our channel.

Rasa validates every action server response with ``jsonschema.validate(result,
schema)``. With jsonschema 4.x that call re-checks the schema itself against its
meta-schema every time, which profiling (py-spy on the Rasa server under
benchmarks/telegram_throughput.py) showed to be about a third of Rasa's CPU
per message. The same validation with a validator built once gives the same
result and the same errors, without the repeated meta-schema check.

Rasa also fills ``{slot}`` placeholders in every response it sends, buttons included. Our menu
buttons carry payloads such as ``/elegir_tema{"tema":"que_es_stl"}``: Rasa reads the braces as
a slot name, fails, logs an ERROR with a traceback whose locals show the first slot values, and
sends the text unchanged. Three such records per menu (about 1 000 a minute under
benchmarks/telegram_throughput.py, ≈ 0.6 ms of Rasa's CPU per message): a text whose
placeholders are all JSON (quoted, so never a slot name) now goes out unchanged straight away,
as Rasa would send it; a missing slot is still reported.

Reading a conversation back turns each stored event into its class with
``Event.resolve_by_type``, which walks every subclass of ``Event`` (with ``inspect.isabstract``)
for every event: 87 % of decoding a session, 15 ms for 440 events, paid again on every turn, so
a long conversation cost more per message the longer it got. The same lookup is now a dict built
once (rebuilt if a name is missing, in case an event class was imported later).

The FAQ response selector names each of its top labels (the best and the ten of its ranking)
with ``_resolve_intent_response_key``, which walks every response of the domain, and every
variant of each, until one matches: eleven walks over hundreds of responses per message. The
answer depends only on the label's name and the responses the selector loaded, so it is now
remembered per selector and name (the first call still asks Rasa's own method).

Every copy of a conversation (Rasa makes one per past turn each time a policy reads the history,
and one per action it runs) copies each slot of the domain with ``copy.copy``, whose generic path
(``__reduce_ex__``, ``copyreg``, ``_reconstruct``) cost ≈ 6 % of Rasa's CPU per message
(benchmarks/rasa_cpu.py --profile). A slot is a plain object: its copy is now made the way that
path ends up making it (a new instance of its class with the same attribute dict), directly; any
slot class with its own pickling hooks still takes ``copy``'s path.

Understanding one message calls TensorFlow twice (DIETClassifier for the intent, ResponseSelector
for the FAQ answer), and profiling showed that most of each call is Python around the model, not
the model: each component rebuilt the same model input from the message's features (combining
the sparse matrices, ``RasaModelData``, a batch generator for one example), and each
``tf.function`` call re-checked its arguments against the signature and looked its graph up again
(three quarters of the call). Now the input built for a message is kept on that message (both
components build it the same way: same featurizers, no labels at prediction), already converted
to tensors, and after the first call each model runs its traced graph directly with the same
conversion and compatibility check ``tf.function`` does. Same graph, same inputs, same outputs;
anything unexpected (several batches, other dtypes, eager mode) takes Rasa's own path.

Every call to the action server opened a new aiohttp session, so a new TCP connection (and
closed it again): ≈ 3.8 % of Rasa's CPU per message (py-spy, benchmarks/results/rasa_cpu.md).
``EndpointConfig.request`` now sends through one session per event loop and endpoint settings
(headers, credentials), whose idle connections are dropped after ``_KEEPALIVE_SECONDS``: less
than the 5 s after which Sanic (the action server) closes an idle connection itself, so a request
never goes out on a connection the server is closing. Same request, same answer, same errors.
"""

import copy
import logging
import re
import weakref
from typing import Any, Dict, List, Optional, Text, Tuple

logger = logging.getLogger(__name__)


def _cached_action_result_validation() -> None:
    from jsonschema import ValidationError
    from jsonschema.validators import validator_for
    from rasa.core.actions import action as rasa_action
    from rasa.shared.constants import DOCS_BASE_URL

    remote = rasa_action.RemoteAction
    if not callable(getattr(remote, "_validate_action_result", None)):
        raise AttributeError("RemoteAction._validate_action_result is gone")
    schema = remote.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema)

    def _validate_action_result(self: Any, result: Dict[Text, Any]) -> bool:
        try:
            validator.validate(result)
            return True
        except ValidationError as e:
            e.message += (
                f". Failed to validate Action server response from API, "
                f"make sure your response from the Action endpoint is valid. "
                f"For more information about the format visit "
                f"{DOCS_BASE_URL}/custom-actions"
            )
            raise e

    remote._validate_action_result = _validate_action_result  # type: ignore[assignment]


def _quiet_payload_interpolation() -> None:
    from rasa.core.nlg import interpolator

    original = interpolator.interpolate_text
    if getattr(original, "_participa", False):
        return
    placeholder = re.compile(r"{([^\n{}]+?)}")  # Rasa's own pattern (interpolator.py)

    def interpolate_text(response: Text, values: Dict[Text, Any]) -> Text:
        names = placeholder.findall(response)
        if names and "{{" not in response and "}}" not in response \
                and all('"' in name and "]" not in name for name in names):
            return response  # a JSON payload, no slot: what Rasa returns after logging a KeyError
        return original(response, values)

    interpolate_text._participa = True  # type: ignore[attr-defined]
    interpolator.interpolate_text = interpolate_text


def _cached_event_types() -> None:
    from rasa.shared.core import events
    from rasa.shared.utils import common

    event = events.Event
    original = event.resolve_by_type
    if getattr(original, "_participa", False):
        return
    known: Dict[Text, Any] = {}

    def rebuild() -> None:
        known.clear()
        for cls in common.all_subclasses(event):  # Rasa's order: the first match wins, as before
            known.setdefault(cls.type_name, cls)

    def resolve_by_type(type_name: Text, default: Any = None) -> Any:
        cls = known.get(type_name)
        if cls is None:
            rebuild()
            cls = known.get(type_name)
        return cls if cls is not None else original(type_name, default)

    resolve_by_type._participa = True  # type: ignore[attr-defined]
    event.resolve_by_type = staticmethod(resolve_by_type)  # type: ignore[assignment]


def _cached_response_keys() -> None:
    from rasa.nlu.selectors.response_selector import ResponseSelector

    original = ResponseSelector._resolve_intent_response_key
    if getattr(original, "_participa", False):
        return

    def _resolve_intent_response_key(self: Any, label: Dict[Text, Any]) -> Any:
        memo = self.__dict__.get("_participa_response_keys")
        if memo is None or memo[0] is not self.responses:  # new or replaced responses: start over
            memo = (self.responses, {})
            self.__dict__["_participa_response_keys"] = memo
        keys = memo[1]
        name = label.get("name")
        if name not in keys:
            keys[name] = original(self, label)
        return keys[name]

    _resolve_intent_response_key._participa = True  # type: ignore[attr-defined]
    ResponseSelector._resolve_intent_response_key = _resolve_intent_response_key  # type: ignore


def _fast_slot_copies() -> None:
    from rasa.shared.core.slots import Slot

    if "__copy__" in Slot.__dict__:
        return
    plain: Dict[type, bool] = {}  # slot class -> copied like a plain object by copy.copy

    def is_plain(cls: type) -> bool:
        if cls not in plain:
            plain[cls] = (
                cls.__reduce_ex__ is object.__reduce_ex__
                and cls.__reduce__ is object.__reduce__
                and getattr(cls, "__getstate__", None) is getattr(object, "__getstate__", None)
                and not hasattr(cls, "__setstate__")
                and not any("__slots__" in vars(c) for c in cls.__mro__)
            )
        return plain[cls]

    def __copy__(self: Any) -> Any:
        cls = type(self)
        if not is_plain(cls):  # copy.copy's own way
            reduced = self.__reduce_ex__(4)
            return self if isinstance(reduced, str) else copy._reconstruct(self, None, *reduced)
        new = cls.__new__(cls)  # what copy.copy ends up doing for a plain object
        new.__dict__.update(self.__dict__)
        return new

    __copy__._participa = True  # type: ignore[attr-defined]
    Slot.__copy__ = __copy__  # type: ignore[attr-defined]


# Idle connections to an endpoint are closed after this long: under Sanic's KEEP_ALIVE_TIMEOUT (5 s).
_KEEPALIVE_SECONDS = 2.0
# (event loop, headers, credentials) -> the session requests to such an endpoint share
_SESSIONS: Dict[Tuple[Any, ...], Any] = {}


def _shared_endpoint_sessions() -> None:
    import asyncio
    import os
    import ssl

    import aiohttp
    from rasa.shared.exceptions import FileNotFoundException
    from rasa.utils import endpoints

    config = endpoints.EndpointConfig
    original = config.request
    if getattr(original, "_participa", False):
        return
    if not callable(getattr(config, "combine_parameters", None)):
        raise AttributeError("EndpointConfig.combine_parameters is gone")

    def shared_session(self: Any) -> Any:
        loop = asyncio.get_running_loop()
        key = (loop, repr(sorted((self.headers or {}).items())), repr(self.basic_auth))
        session = _SESSIONS.get(key)
        if session is None or session.closed:
            for stale in [k for k, s in _SESSIONS.items() if k[0] is not loop and k[0].is_closed()]:
                del _SESSIONS[stale]  # sessions of loops that ended (tests, restarts)
            auth = (aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"])
                    if self.basic_auth else None)
            session = aiohttp.ClientSession(
                headers=self.headers, auth=auth,
                timeout=aiohttp.ClientTimeout(total=endpoints.DEFAULT_REQUEST_TIMEOUT),
                connector=aiohttp.TCPConnector(keepalive_timeout=_KEEPALIVE_SECONDS),
            )
            _SESSIONS[key] = session
        return session

    async def request(self: Any, method: Text = "post", subpath: Optional[Text] = None,
                      content_type: Optional[Text] = "application/json", compress: bool = False,
                      **kwargs: Any) -> Optional[Any]:
        """Rasa's ``EndpointConfig.request`` (rasa/utils/endpoints.py), sent through the shared
        session instead of a new one."""
        headers = {}
        if content_type:
            headers["Content-Type"] = content_type
        if "headers" in kwargs:
            headers.update(kwargs["headers"])
            del kwargs["headers"]
        if self.headers:
            headers.update(self.headers)
        url = endpoints.concat_url(self.url, subpath)
        sslcontext = None
        if self.cafile:
            try:
                sslcontext = ssl.create_default_context(cafile=self.cafile)
            except FileNotFoundError as e:
                raise FileNotFoundException(
                    f"Failed to find certificate file, "
                    f"'{os.path.abspath(self.cafile)}' does not exist."
                ) from e
        session = shared_session(self)
        async with session.request(
            method, url, headers=headers, params=self.combine_parameters(kwargs),
            compress=compress, ssl=sslcontext, **kwargs,
        ) as response:
            if response.status >= 400:
                raise endpoints.ClientResponseError(
                    response.status, response.reason, await response.content.read())
            try:
                return await response.json()
            except aiohttp.ContentTypeError:
                return None

    request._participa = True  # type: ignore[attr-defined]
    config.request = request  # type: ignore[method-assign]


_INPUTS = "_participa_prediction_inputs"


class _Batch(tuple):
    """One message's model input (Rasa's batch of one), with its tensors once converted."""

    tensors: Dict[Tuple[Any, ...], List[Any]]


def _shared_prediction_inputs() -> None:
    import rasa.utils.train_utils as train_utils
    from rasa.nlu.classifiers.diet_classifier import DIETClassifier
    from rasa.utils.tensorflow.constants import FEATURIZERS

    original = DIETClassifier._predict
    if getattr(original, "_participa", False):
        return

    def _predict(self: Any, message: Any) -> Any:
        if self.model is None:
            return original(self, message)  # Rasa logs why there is no prediction
        # What ``_create_model_data([message], training=False)`` depends on at prediction time.
        features = message.features
        key = (
            tuple(self.component_config.get(FEATURIZERS) or ()),
            self.label_key,
            self.label_sub_key,
            getattr(self, "model_input_kind", "full"),  # nlu/components/sentence_input.py
            len(features),
            id(features[-1]) if features else None,
        )
        kept: Dict[Any, Any] = message.__dict__.setdefault(_INPUTS, {})
        if key not in kept:
            model_data = self._create_model_data([message], training=False)
            batches: Optional[List[Any]] = None
            if not model_data.is_empty():
                generator, _ = train_utils.create_data_generators(
                    model_data=model_data, batch_sizes=1, epochs=1, shuffle=False
                )
                batches = []
                for i in range(len(generator)):
                    batch = _Batch(generator[i][0])
                    batch.tensors = {}
                    batches.append(batch)
            kept[key] = batches
        batches = kept[key]
        if batches is None:
            return None
        if len(batches) != 1:  # never for one message; Rasa's loop merges several batches
            return original(self, message)
        return self.model._rasa_predict(batches[0])  # what run_inference does for one batch

    _predict._participa = True  # type: ignore[attr-defined]
    DIETClassifier._predict = _predict  # type: ignore[method-assign]


# model -> (concrete graph, input specs): the graph tf.function would look up on every call.
_GRAPHS: "weakref.WeakKeyDictionary[Any, Tuple[Any, Tuple[Any, ...]]]" = weakref.WeakKeyDictionary()
# input spec -> its dimensions (None where any size goes), for the compatibility check
_SPEC_DIMS: Dict[Any, Tuple[Optional[int], ...]] = {}


def _direct_graph_calls() -> None:
    import tensorflow as tf
    from keras.utils import tf_utils
    from rasa.shared.constants import DIAGNOSTIC_DATA
    from rasa.utils.tensorflow.models import RasaModel

    original = RasaModel._rasa_predict
    if getattr(original, "_participa", False):
        return

    def _as_tensors(batch_in: Any, specs: Tuple[Any, ...]) -> Optional[List[Any]]:
        """The conversion and check ``tf.function`` does with an input signature, or None."""
        if not isinstance(batch_in, tuple) or len(batch_in) != len(specs):
            return None
        converted = getattr(batch_in, "tensors", None)
        dtypes = tuple(spec.dtype for spec in specs)
        tensors = converted.get(dtypes) if converted is not None else None
        if tensors is None:
            tensors = []
            for value, spec in zip(batch_in, specs):
                if value is None:
                    return None
                tensors.append(
                    value if tf.is_tensor(value) else tf.convert_to_tensor(value, dtype_hint=spec.dtype)
                )
            if converted is not None:  # the next component with the same dtypes reuses them
                converted[dtypes] = tensors
        if not all(_compatible(spec, t) for spec, t in zip(specs, tensors)):
            return None
        return tensors

    def _compatible(spec: Any, tensor: Any) -> bool:
        """``spec.is_compatible_with(tensor)`` for a TensorSpec of known rank: the same dtype,
        and every dimension the spec fixes equal (a third of the call's Python time in TF's own
        version, which builds a TensorSpec of the tensor first)."""
        dims = _SPEC_DIMS.get(spec)
        if dims is None:
            return bool(spec.is_compatible_with(tensor))
        shape = tensor.shape
        return (
            tensor.dtype == spec.dtype
            and len(shape) == len(dims)
            and all(d is None or d == s for d, s in zip(dims, shape))
        )

    def _rasa_predict(self: Any, batch_in: Any) -> Any:
        graph = _GRAPHS.get(self)
        if graph is None or self._run_eagerly or not self.prepared_for_prediction:
            outputs = original(self, tuple(batch_in))  # traces the graph on the first call
            step = self._tf_predict_step
            if step is not None and not self._run_eagerly:
                specs = tuple(tf.nest.flatten(step.input_signature))
                for spec in specs:
                    if isinstance(spec, tf.TensorSpec) and spec.shape.rank is not None:
                        _SPEC_DIMS[spec] = tuple(spec.shape.as_list())
                _GRAPHS[self] = (step.get_concrete_function(), specs)
            return outputs
        concrete, specs = graph
        tensors = _as_tensors(batch_in, specs)
        if tensors is None:
            return original(self, tuple(batch_in))  # Rasa's path (and its error, if any)
        if self._training is not False:
            self._training = False
        result = concrete._call_flat(tensors, captured_inputs=concrete.captured_inputs)
        outputs = tf_utils.sync_to_numpy_or_python_type(result)
        if DIAGNOSTIC_DATA in outputs:
            outputs[DIAGNOSTIC_DATA] = self._empty_lists_to_none_in_dict(outputs[DIAGNOSTIC_DATA])
        return outputs

    _rasa_predict._participa = True  # type: ignore[attr-defined]
    RasaModel._rasa_predict = _rasa_predict  # type: ignore[method-assign]


def apply() -> bool:
    """Patch Rasa; False (and a warning) if its internals changed. tests/rasa/test_speedups.py
    fails in that case, so an upgrade cannot silently lose the speed-up."""
    try:
        _cached_action_result_validation()
        _quiet_payload_interpolation()
        _cached_event_types()
        _cached_response_keys()
        _fast_slot_copies()
        _shared_prediction_inputs()
        _direct_graph_calls()
        _shared_endpoint_sessions()
    except Exception as exc:  # a Rasa upgrade changed the internals: run unpatched, say so
        logger.warning("participa.speedups.not_applied: %s", type(exc).__name__)
        return False
    return True
