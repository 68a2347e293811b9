import sys
import os.path
