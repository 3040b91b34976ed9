CATALOGUE = [{"id": 10, "name": "Pen", "price": 2.5}, {"id": 11, "name": "Notebook", "price": 4}]
