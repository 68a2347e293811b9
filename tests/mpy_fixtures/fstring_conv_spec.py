x = 3.14159
n = 'a'
print(f'{x:.2f} {n!r} {n!s:>5}')
