a = r'\d+\n'
b = r"raw"
c = rb'\x00'
d = br'\n'
