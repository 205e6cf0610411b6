"""DIET and the FAQ response selector fed only what their answer depends on.

Without transformer layers (and without masked language modelling or entity recognition) the
intent or FAQ label of a message is computed from the message's sentence-level features alone:
Rasa runs the same position-wise layers over every token of the message and then keeps only the
sentence position (``_last_token``). Every token's pass through the sparse-to-dense layer and the
hidden layers is computed, back-propagated and thrown away; for the response selector (hidden
layers 256/128 over 512 inputs, long stories of 100+ tokens) that was most of its training time.

These classes give the model one constant token in place of the sequence-level features (Rasa's
layers need at least one), at training and at prediction alike: the model is the same function of
the same sentence features, and its training skips the wasted work. With a transformer, masked
language modelling or entity recognition configured, the tokens matter and the full input is
used, as in Rasa.

Since the per-token matrices are thrown away, they are not combined either: Rasa deep-copies
the first featurizer's per-token matrix and stacks the others onto it (``hstack``) for every
message, ≈ 5 % of Rasa's CPU per message (py-spy, benchmarks/results/rasa_cpu.md). While a
sentence-only component builds its input, the text's sequence features come back as the one
constant token directly, with the dtype the stacked matrix would have had: the same tensors
(tests/rasa/test_sentence_input.py compares them), without the stacking.
"""

import contextvars
from typing import Any, Dict, List, Optional, Text

import numpy as np
import scipy.sparse
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.diet_classifier import DIETClassifier
from rasa.nlu.selectors.response_selector import ResponseSelector
from rasa.shared.nlu.constants import FEATURE_TYPE_SEQUENCE, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.utils.tensorflow.constants import (
    ENTITY_RECOGNITION,
    MASKED_LM,
    NUM_TRANSFORMER_LAYERS,
    SEQUENCE,
    SEQUENCE_LENGTH,
)
from rasa.utils.tensorflow.model_data import FeatureArray, RasaModelData, ragged_array_to_ndarray


def sentence_only(config: Dict[Text, Any]) -> bool:
    """Whether the configured model reads nothing but the sentence-level features of the text."""
    layers = config.get(NUM_TRANSFORMER_LAYERS, 0)
    if isinstance(layers, dict):
        layers = layers.get(TEXT, 0)
    return not layers and not config.get(MASKED_LM) and not config.get(ENTITY_RECOGNITION)


def _one_token(matrix: Any) -> Any:
    if scipy.sparse.issparse(matrix):
        return scipy.sparse.coo_matrix(np.ones((1, 1), dtype=matrix.dtype))
    return np.ones((1, 1), dtype=np.asarray(matrix).dtype)


def sentence_input(model_data: RasaModelData) -> None:
    """Replace the text's sequence-level features by one constant token with one feature.

    The model's answer does not read them (see the module's docstring); one token keeps Rasa's
    layers working, and one feature keeps their sparse-to-dense weights (and the optimizer's
    update of them on every step) from being the size of the whole vocabulary.
    """
    text = model_data.data.get(TEXT)
    if not text or not text.get(SEQUENCE):
        return
    text[SEQUENCE] = [
        FeatureArray(
            ragged_array_to_ndarray([_one_token(m) for m in features]),
            number_of_dimensions=features.number_of_dimensions,
        )
        for features in text[SEQUENCE]
    ]
    text[SEQUENCE_LENGTH] = []
    model_data.add_lengths(TEXT, SEQUENCE_LENGTH, TEXT, SEQUENCE)
    sizes = model_data.sparse_feature_sizes.get(TEXT)
    if sizes and sizes.get(SEQUENCE):
        sizes[SEQUENCE] = [1 for _ in sizes[SEQUENCE]]


# Set while a sentence-only component builds its model input (see _sentence_features).
_BUILDING_SENTENCE_INPUT: "contextvars.ContextVar[bool]" = contextvars.ContextVar(
    "participa_sentence_input", default=False
)


def _one_token_features(features: List[Features], featurizers: List[Text]) -> Optional[Features]:
    """What ``Message._combine_features`` returns for the sequence, reduced to the one token
    ``sentence_input`` puts in its place: the constant, in the stacked matrix's dtype."""
    if not features:
        return None
    dtype = np.result_type(*(f.features.dtype for f in features))  # hstack's / concatenate's
    if features[0].is_sparse():
        matrix: Any = scipy.sparse.coo_matrix(np.ones((1, 1), dtype=dtype))
    else:
        matrix = np.ones((1, 1), dtype=dtype)
    return Features(matrix, FEATURE_TYPE_SEQUENCE, features[0].attribute, featurizers)


def _sentence_features(
    message: Message, attribute: Text, featurizers: Optional[List[Text]] = None
) -> List[Features]:
    """``Message.get_all_features`` for the text of a sentence-only component: the sentence
    features combined as Rasa does, the sequence ones as one constant token (same order)."""
    featurizers = featurizers or []
    sparse_sequence, sparse_sentence = message._filter_sparse_features(attribute, featurizers)
    dense_sequence, dense_sentence = message._filter_dense_features(attribute, featurizers)
    found = [
        _one_token_features(sparse_sequence, featurizers),
        Message._combine_features(sparse_sentence, featurizers),
        _one_token_features(dense_sequence, featurizers),
        Message._combine_features(dense_sentence, featurizers),
    ]
    return [f for f in found if f is not None]


def _install_sentence_features() -> None:
    original = Message.get_all_features
    if getattr(original, "_participa", False):
        return

    def get_all_features(
        self: Message, attribute: Text, featurizers: Optional[List[Text]] = None
    ) -> List[Features]:
        if attribute == TEXT and _BUILDING_SENTENCE_INPUT.get():
            return _sentence_features(self, attribute, featurizers)
        return original(self, attribute, featurizers)

    get_all_features._participa = True  # type: ignore[attr-defined]
    Message.get_all_features = get_all_features  # type: ignore[method-assign]


_install_sentence_features()


class _SentenceInput:
    """Mixin for DIETClassifier and its subclasses: the sentence input when that is all they read."""

    component_config: Dict[Text, Any]

    @property
    def model_input_kind(self) -> Text:
        """Part of the key ``_predict`` (nlu/channels/rasa_speedups.py) keeps a message's model
        input by: a component with the full input never reuses one with the sentence input."""
        return "sentence" if sentence_only(self.component_config) else "full"

    def _create_model_data(
        self,
        training_data: List[Message],
        label_id_dict: Optional[Dict[Text, int]] = None,
        label_attribute: Optional[Text] = None,
        training: bool = True,
    ) -> RasaModelData:
        if not sentence_only(self.component_config):
            return super()._create_model_data(  # type: ignore[misc, no-any-return]
                training_data, label_id_dict, label_attribute, training
            )
        token = _BUILDING_SENTENCE_INPUT.set(self.stack_skipped)
        try:
            model_data = super()._create_model_data(  # type: ignore[misc]
                training_data, label_id_dict, label_attribute, training
            )
        finally:
            _BUILDING_SENTENCE_INPUT.reset(token)
        sentence_input(model_data)
        return model_data

    # False builds the input as before (Rasa stacks the per-token matrices, then they are
    # replaced): the tests compare both ways.
    stack_skipped = True


@DefaultV1Recipe.register(
    [
        DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER,
        DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR,
    ],
    is_trainable=True,
)
class SentenceDIETClassifier(_SentenceInput, DIETClassifier):
    """Rasa's DIETClassifier, trained and run on the sentence input when that is all it reads."""


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True
)
class SentenceResponseSelector(_SentenceInput, ResponseSelector):
    """Rasa's ResponseSelector, trained and run on the sentence input when that is all it reads."""
