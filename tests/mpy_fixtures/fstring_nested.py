w = 10
x = 42
print(f'{x:{w}}|{x + 1}|{{literal}}')
