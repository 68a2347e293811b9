x = 1
y = 2
print('a' f'{x}' 'b' f'{y}')
