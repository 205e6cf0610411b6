"""DIET and the FAQ selector trained on the sentence input (nlu/components/sentence_input.py).

The component rests on one claim about Rasa 3.6: without transformer layers, what a message's
tokens carry never reaches the answer. The first test checks the claim on Rasa's own classifier
(the same trained weights give the same confidences whatever the tokens say); the second, that
the selector trained on the sentence input still picks the answer its examples ask for.
"""

from __future__ import annotations

import json
import subprocess

import pytest

from bot.config import PROJECT_ROOT, get_settings

COMMON = """
import json, sys, tempfile, logging
from pathlib import Path
sys.path.insert(0, "nlu")
logging.disable(logging.WARNING)
import numpy as np
import scipy.sparse
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from rasa.shared.nlu.constants import TEXT
from rasa.utils.tensorflow.constants import SEQUENCE, SEQUENCE_LENGTH
from rasa.utils.tensorflow.model_data import FeatureArray, ragged_array_to_ndarray
from components.sentence_input import SentenceResponseSelector
from rasa.nlu.classifiers.diet_classifier import DIETClassifier

storage = LocalModelStorage(Path(tempfile.mkdtemp()))
context = ExecutionContext(GraphSchema({}), "test")
made = [0]

def make(cls, **config):
    made[0] += 1
    return cls.create({**cls.get_default_config(), **config}, storage, Resource(f"r{made[0]}"),
                      context)

EXAMPLES = {
    "plazo": ["cuanto tarda la respuesta de mi solicitud", "en cuantos dias me contestan",
              "cual es el plazo para que respondan", "ya paso un mes y nadie me responde"],
    "costo": ["cuanto cuesta pedir informacion", "tengo que pagar por la solicitud",
              "es gratis preguntar al gobierno", "me cobran las copias"],
    "centro": ["donde hay un centro de atencion a mujeres", "necesito un lugar donde me ayuden",
               "a donde voy si mi pareja me pega", "quiero hablar con alguien en persona"],
}

def featurised(intent_prefix):
    messages = []
    for key, texts in EXAMPLES.items():
        for text in texts:
            data = {"text": text, "intent": intent_prefix.rstrip("/") if intent_prefix else key}
            if intent_prefix:
                data["intent_response_key"] = intent_prefix + key
            messages.append(Message(data=data))
    responses = {f"utter_{intent_prefix}{k}": [{"text": k}] for k in EXAMPLES} if intent_prefix else {}
    data = TrainingData(messages, responses=responses)
    steps = [make(WhitespaceTokenizer), make(CountVectorsFeaturizer),
             make(CountVectorsFeaturizer, analyzer="char_wb", min_ngram=2, max_ngram=4)]
    for step in steps:
        if hasattr(step, "train") and not isinstance(step, WhitespaceTokenizer):
            step.train(data)
        step.process_training_data(data)
    return data, steps

def message(text, steps):
    m = Message(data={"text": text})
    for step in steps:
        step.process([m])
    return m
"""

TOKENS_NEVER_REACH = COMMON + """
data, steps = featurised("")
diet = make(DIETClassifier, epochs=15, number_of_transformer_layers=0, entity_recognition=False,
            batch_size=[8, 8], random_seed=3)
diet.train(data)

def scores(model_data):
    return diet.model.run_inference(model_data)["i_scores"][0]

def first_token(model_data):
    text = model_data.data[TEXT]
    text[SEQUENCE] = [FeatureArray(ragged_array_to_ndarray(
        [scipy.sparse.coo_matrix(m.tocsr()[:1]) for m in f]), number_of_dimensions=3)
        for f in text[SEQUENCE]]
    text[SEQUENCE_LENGTH] = []
    model_data.add_lengths(TEXT, SEQUENCE_LENGTH, TEXT, SEQUENCE)
    return model_data

differences = []
for text in ["oigan cuanto me van a cobrar por la informacion que pedi hace rato",
             "mi pareja me pega donde me pueden ayudar", "plazo"]:
    m = message(text, steps)
    full = scores(diet._create_model_data([m], training=False))
    cut = scores(first_token(diet._create_model_data([m], training=False)))
    differences.append(float(np.max(np.abs(full - cut))))
print(json.dumps({"differences": differences}))
"""

SELECTOR_ANSWERS = COMMON + """
data, steps = featurised("faq/")
selector = make(SentenceResponseSelector, retrieval_intent="faq", epochs=40, batch_size=[8, 8],
                random_seed=3)
selector.train(data)
answers = {}
for text in ["cuanto me cobran por pedir la informacion", "donde hay un centro que ayude a mujeres",
             "en cuantos dias responden mi solicitud"]:
    m = message(text, steps)
    selector.process([m])
    answers[text] = m.get("response_selector")["faq"]["response"]["intent_response_key"]
model_data = selector._create_model_data([message("plazo de respuesta", steps)], training=False)
sequence = model_data.data[TEXT][SEQUENCE][0]
print(json.dumps({"answers": answers, "input_kind": selector.model_input_kind,
                  "sequence": [int(sequence[0].shape[0]), int(sequence[0].shape[1])]}))
"""


def _run(script: str) -> dict:
    python = get_settings().rasa_venv / "bin" / "python"
    if not python.exists():
        pytest.skip(".venv-rasa no existe (make setup)")
    done = subprocess.run([str(python), "-W", "ignore", "-c", script], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=600, check=True,
                          env={"TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONPATH": str(PROJECT_ROOT),
                               "PATH": "/usr/bin:/bin"})
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_messages_tokens_never_reach_the_answer_without_transformer_layers() -> None:
    result = _run(TOKENS_NEVER_REACH)
    assert max(result["differences"]) < 1e-6


def test_the_selector_on_the_sentence_input_answers_what_its_examples_ask() -> None:
    result = _run(SELECTOR_ANSWERS)
    assert result["answers"] == {
        "cuanto me cobran por pedir la informacion": "faq/costo",
        "donde hay un centro que ayude a mujeres": "faq/centro",
        "en cuantos dias responden mi solicitud": "faq/plazo",
    }
    assert result["input_kind"] == "sentence"
    assert result["sequence"] == [1, 1]  # one constant token with one feature
