"""A small convolutional network in NumPy, trainable with every optimizer of optviz.

The notes' CNN, layer by layer: :class:`Conv2D` -> activation (:class:`ReLU`, ...) ->
pooling (:class:`MaxPool2D`, :class:`AvgPool2D`) -> :class:`Dense`, with the losses
:class:`MSELoss`, :class:`BCELoss` and :class:`CrossEntropyLoss`. Data sets live in
:mod:`optviz.nn.data`, training in :mod:`optviz.nn.trainer`::

    from optviz.nn import load_dataset, train_optimizers
    run = train_optimizers(load_dataset("digits"), ["sgd", "adam"], epochs=5)
    run.to_frame()      # one row per optimizer and epoch
"""

from .activations import LeakyReLU, PReLU, ReLU, Sigmoid, Softmax, Tanh, softmax
from .data import Dataset, load_dataset
from .im2col import col2im, conv_output_size, im2col
from .layers import AvgPool2D, Conv2D, Dense, Flatten, Layer, MaxPool2D, Sequential
from .losses import BCELoss, CrossEntropyLoss, Loss, MSELoss
from .model import check_architecture, default_cnn, lenet, model_from_builder
from .trainer import DEFAULT_LR, train, train_optimizers, train_seeds

__all__ = [
    "Layer",
    "Conv2D",
    "MaxPool2D",
    "AvgPool2D",
    "Flatten",
    "Dense",
    "Sequential",
    "ReLU",
    "LeakyReLU",
    "PReLU",
    "Sigmoid",
    "Tanh",
    "Softmax",
    "softmax",
    "Loss",
    "MSELoss",
    "BCELoss",
    "CrossEntropyLoss",
    "conv_output_size",
    "im2col",
    "col2im",
    "default_cnn",
    "lenet",
    "check_architecture",
    "model_from_builder",
    "Dataset",
    "load_dataset",
    "train",
    "train_optimizers",
    "train_seeds",
    "DEFAULT_LR",
]
