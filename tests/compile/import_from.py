from sys import argv, path
from os import path as p
