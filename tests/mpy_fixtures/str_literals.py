a = 'single'
b = "double"
c = '''triple
quoted'''
d = """also"""
