import sys as s
import os.path as p
