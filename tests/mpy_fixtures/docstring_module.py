"module docstring"
x = 1
