print("raises runs")
raise ValueError("from module")
