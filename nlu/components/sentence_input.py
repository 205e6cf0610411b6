"""DIET and the FAQ response selector fed only what their answer depends on.

Without transformer layers (and without masked language modelling or entity recognition) the
intent or FAQ label of a message is computed from the message's sentence-level features alone:
Rasa runs the same position-wise layers over every token of the message and then keeps only the
sentence position (``_last_token``). Every token's pass through the sparse-to-dense layer and the
hidden layers is computed, back-propagated and thrown away; for the response selector (hidden
layers 256/128 over 512 inputs, long stories of 100+ tokens) that was most of its training time.

These classes give the model one constant token in place of the sequence-level features (Rasa's
layers need at least one), at training and at prediction alike: the model is the same function of
the same sentence features, and its training skips the wasted work. With a transformer, masked language modelling
or entity recognition configured, the tokens matter and the full input is used, as in Rasa.
"""

from typing import Any, Dict, List, Optional, Text

import numpy as np
import scipy.sparse
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.diet_classifier import DIETClassifier
from rasa.nlu.selectors.response_selector import ResponseSelector
from rasa.shared.nlu.constants import TEXT
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
        model_data = super()._create_model_data(  # type: ignore[misc]
            training_data, label_id_dict, label_attribute, training
        )
        if sentence_only(self.component_config):
            sentence_input(model_data)
        return model_data


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
